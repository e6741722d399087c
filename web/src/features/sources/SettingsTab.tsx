import { Pencil } from "lucide-react";
import { type ReactNode, useMemo } from "react";
import { useNavigate } from "react-router";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { CopyButton } from "@/components/ui/CopyButton";
import { Fact } from "@/components/ui/Fact";
import { formatDateTime } from "@/lib/time";
import { useSourcePage } from "./SourcePage";
import { compileSchema, type FieldSpec, type JsonSchema, type ObjectSpec } from "./schema/compile";
import { isRecord, variantFor } from "./schema/draft";

const join = (base: string, key: string) => (base ? `${base}.${key}` : key);

function Empty() {
  return <span className="text-zinc-400">—</span>;
}

function SecretValue({ set }: { set: boolean }) {
  return set ? (
    <span className="inline-flex items-center gap-2">
      <span aria-hidden="true" className="font-mono tracking-widest text-zinc-400">
        ••••••••
      </span>
      <Badge tone="green">Set</Badge>
    </span>
  ) : (
    <Badge>Not set</Badge>
  );
}

/** A config value as text, for a field of any kind but objects and unions. */
function ScalarValue({ field, value }: { field: FieldSpec; value: unknown }): ReactNode {
  if (value === null || value === undefined || value === "") return <Empty />;
  if (field.kind === "boolean" || typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) {
    if (value.length === 0) return <Empty />;
    return (
      <span className="flex flex-wrap gap-1">
        {value.map((v) => (
          <code key={String(v)} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs">
            {String(v)}
          </code>
        ))}
      </span>
    );
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return <Empty />;
    return (
      <span className="flex flex-col gap-0.5 font-mono text-xs">
        {entries.map(([k, v]) => (
          <span key={k}>
            <span className="text-zinc-500">{k}</span>: {JSON.stringify(v)}
          </span>
        ))}
      </span>
    );
  }
  return <span className="font-mono text-[13px] break-all">{String(value)}</span>;
}

function ConfigRows({
  spec,
  value,
  path,
  secretsSet,
}: {
  spec: ObjectSpec;
  value: unknown;
  path: string;
  secretsSet: ReadonlySet<string>;
}) {
  return spec.props
    .filter((p) => p.field.kind !== "const")
    .map((p) => {
      const at = join(path, p.key);
      const v = isRecord(value) ? value[p.key] : undefined;
      const f = p.field;
      if (f.kind === "object" || f.kind === "union") {
        const variant = f.kind === "union" && isRecord(v) ? variantFor(f, v) : undefined;
        const inner = f.kind === "object" ? f : variant;
        return (
          <div key={at} className="py-2.5">
            <dt className="text-[13px] font-medium text-zinc-800">
              {f.label}
              {variant && <span className="ml-2 font-normal text-zinc-500">{variant.label}</span>}
            </dt>
            <dd className="mt-1.5 ml-1 border-l-2 border-zinc-100 pl-4">
              {isRecord(v) && inner ? (
                <dl className="divide-y divide-zinc-100">
                  <ConfigRows spec={inner} value={v} path={at} secretsSet={secretsSet} />
                </dl>
              ) : (
                <span className="text-sm text-zinc-400">Not configured</span>
              )}
            </dd>
          </div>
        );
      }
      return (
        <div key={at} className="grid grid-cols-[12rem_1fr] gap-4 py-2.5 text-sm">
          <dt className="text-zinc-500">{f.label}</dt>
          <dd className="min-w-0 text-zinc-900">
            {f.kind === "secret" ? (
              <SecretValue set={secretsSet.has(at)} />
            ) : (
              <ScalarValue field={f} value={v} />
            )}
          </dd>
        </div>
      );
    });
}

/** Settings: the saved configuration (secrets shown only as set or not) and the source's facts. */
export function SettingsTab() {
  const { source, type } = useSourcePage();
  const navigate = useNavigate();
  const spec = useMemo(
    () => (type ? compileSchema(type.settings_schema as JsonSchema) : null),
    [type],
  );
  const secretsSet = useMemo(() => new Set(source.secrets_set), [source.secrets_set]);

  return (
    <div className="grid grid-cols-1 items-start gap-4 lg:grid-cols-[1fr_20rem]">
      <Card>
        <div className="flex items-center justify-between border-b border-zinc-200/80 px-5 py-3">
          <h2 className="text-sm font-semibold text-zinc-900">Connection settings</h2>
          {source.can_edit && (
            <Button
              size="sm"
              onClick={() => navigate(`/sources/${source.id}/edit`)}
              icon={<Pencil className="size-3" aria-hidden="true" />}
            >
              Edit settings
            </Button>
          )}
        </div>
        <dl className="divide-y divide-zinc-100 px-5 py-1">
          {spec ? (
            <ConfigRows spec={spec} value={source.config} path="" secretsSet={secretsSet} />
          ) : (
            // The type isn't installed (or hasn't loaded): show the raw keys.
            Object.entries(source.config).map(([k, v]) => (
              <div key={k} className="grid grid-cols-[12rem_1fr] gap-4 py-2.5 text-sm">
                <dt className="font-mono text-zinc-500">{k}</dt>
                <dd className="font-mono text-[13px] break-all">
                  {source.secrets_set.includes(k) ? <SecretValue set /> : JSON.stringify(v)}
                </dd>
              </div>
            ))
          )}
        </dl>
      </Card>
      <Card>
        <h2 className="border-b border-zinc-200/80 px-5 py-3 text-sm font-semibold text-zinc-900">
          About this source
        </h2>
        <dl className="flex flex-col gap-3 px-5 py-4 text-sm">
          <Fact label="Type">{type?.title ?? source.type}</Fact>
          <Fact label="ID">
            <span className="inline-flex items-center gap-1">
              <code className="font-mono text-xs break-all text-zinc-700">{source.id}</code>
              <CopyButton value={source.id} label="Copy source ID" />
            </span>
          </Fact>
          <Fact label="Owner">
            {source.owner.display_name}{" "}
            <span className="text-zinc-500">@{source.owner.username}</span>
          </Fact>
          <Fact label="Created">{formatDateTime(source.created_at)}</Fact>
          <Fact label="Updated">{formatDateTime(source.updated_at)}</Fact>
          {source.description && <Fact label="Description">{source.description}</Fact>}
        </dl>
      </Card>
    </div>
  );
}
