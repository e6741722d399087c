import { FilterX } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import type { AuditOutcome } from "@/api/types";
import { Button } from "@/components/ui/Button";
import { Input } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import type { AuditFilters } from "./queries";

/** Actions the backend records today. The filter matches a prefix, so "user." finds all user events. */
const KNOWN_ACTIONS = [
  "auth.",
  "auth.login",
  "auth.logout",
  "access.denied",
  "user.",
  "user.create",
  "user.update",
  "user.password_change",
  "user.password_reset",
  "token.create",
  "token.revoke",
  "secret.",
  "secret.create",
  "secret.update",
  "secret.delete",
  "keys.rotate",
];

const TYPING_DELAY_MS = 350;

interface Props {
  value: AuditFilters;
  onChange: (f: AuditFilters) => void;
}

/** Action and actor apply after a pause in typing; outcome applies at once. */
export function AuditFiltersBar({ value, onChange }: Props) {
  const [text, setText] = useState({ action: value.action, actor: value.actor });
  const latest = useRef({ value, onChange });
  latest.current = { value, onChange };
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  function type(patch: Partial<typeof text>) {
    const next = { ...text, ...patch };
    setText(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      const { value: current, onChange: apply } = latest.current;
      apply({ ...current, action: next.action.trim(), actor: next.actor.trim() });
    }, TYPING_DELAY_MS);
  }

  const active = !!(value.action || value.actor || value.outcome || text.action || text.actor);

  return (
    <div className="flex flex-wrap items-center gap-2">
      <div className="w-56">
        <Input
          inputSize="sm"
          aria-label="Action"
          placeholder="Action prefix, e.g. user."
          list="audit-actions"
          value={text.action}
          onChange={(e) => type({ action: e.target.value })}
          className="font-mono text-[13px] placeholder:font-sans"
        />
      </div>
      <datalist id="audit-actions">
        {KNOWN_ACTIONS.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <div className="w-44">
        <Input
          inputSize="sm"
          aria-label="Actor"
          placeholder="Actor username"
          value={text.actor}
          onChange={(e) => type({ actor: e.target.value })}
        />
      </div>
      <Select
        aria-label="Outcome"
        value={value.outcome}
        onChange={(e) => onChange({ ...value, outcome: e.target.value as AuditOutcome | "" })}
        selectSize="sm"
        className="w-40"
      >
        <option value="">Any outcome</option>
        <option value="success">Success</option>
        <option value="failure">Failure</option>
        <option value="denied">Denied</option>
      </Select>
      {active && (
        <Button
          size="sm"
          variant="ghost"
          onClick={() => {
            window.clearTimeout(timer.current);
            setText({ action: "", actor: "" });
            onChange({ action: "", actor: "", outcome: "" });
          }}
          icon={<FilterX className="size-3.5" aria-hidden="true" />}
        >
          Clear filters
        </Button>
      )}
    </div>
  );
}
