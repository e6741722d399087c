import { RefreshCcw, RotateCcw } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/Button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/Dialog";
import { Textarea } from "@/components/ui/Input";
import type { QuarantinedRecord } from "./types";

interface QuarantineFixDialogProps {
  record: QuarantinedRecord;
  /** How the record is named: "line 8 of people.csv". */
  name: string;
  /** The fix typed before, if any. */
  fix: string | undefined;
  /** The lake table's columns, in order: how a delimited record is read. */
  columns: string[];
  reprocessing: boolean;
  /** Keep the text as the record's fix (`null`: the original is back). */
  onSave: (text: string | null) => void;
  /** Queue a re-process of this record alone, with the text. */
  onReprocess: (text: string) => void;
  onClose: () => void;
}

/** Edit a quarantined record's raw text, then keep the fix for later or re-process it now. */
export function QuarantineFixDialog({
  record,
  name,
  fix,
  columns,
  reprocessing,
  onSave,
  onReprocess,
  onClose,
}: QuarantineFixDialogProps) {
  const [text, setText] = useState(fix ?? record.raw);
  const textId = useId();
  const hintId = useId();
  const changed = text !== record.raw;
  const isJson = record.raw.trimStart().startsWith("{");
  const lines = text.split("\n").length;

  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      title={`Fix ${name}`}
      description="Correct the raw text, then re-process it with the dataset's current settings."
    >
      <DialogBody>
        <div className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-900 ring-1 ring-red-200 ring-inset">
          <span className="font-medium">Why it was set aside: </span>
          <span className="break-words">{record.reason}</span>
        </div>
        <div className="flex flex-col gap-1.5">
          <div className="flex items-baseline gap-2">
            <label htmlFor={textId} className="text-sm font-medium text-zinc-800">
              Raw record
            </label>
            {changed && <span className="text-xs text-amber-700">Edited</span>}
          </div>
          <Textarea
            id={textId}
            data-autofocus
            aria-describedby={hintId}
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={Math.min(Math.max(lines, 3), 12)}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            autoCorrect="off"
            className="font-mono text-[12.5px] leading-relaxed break-all"
          />
          <p id={hintId} className="text-xs text-zinc-500">
            {isJson
              ? "A JSON object with the table's columns as keys: "
              : "One delimited record, its fields in the table's column order: "}
            <span className="font-mono text-zinc-700">{columns.join(", ") || "—"}</span>
          </p>
        </div>
        {changed && (
          <div className="flex flex-col gap-1.5">
            <span className="text-xs font-medium text-zinc-500">Original</span>
            <pre className="max-h-32 overflow-auto rounded-md bg-zinc-50 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-all text-zinc-500 ring-1 ring-zinc-200 ring-inset">
              {record.raw}
            </pre>
          </div>
        )}
      </DialogBody>
      <DialogFooter>
        {changed && (
          <Button
            size="sm"
            variant="ghost"
            className="mr-auto"
            onClick={() => setText(record.raw)}
            icon={<RotateCcw className="size-3.5" aria-hidden="true" />}
          >
            Reset to original
          </Button>
        )}
        <Button size="sm" variant="ghost" onClick={onClose}>
          Cancel
        </Button>
        <Button
          size="sm"
          disabled={text.trim() === ""}
          title="Keep the fix here; Re-process selected sends it with the other selected records"
          onClick={() => onSave(changed ? text : null)}
        >
          Save fix
        </Button>
        <Button
          size="sm"
          variant="primary"
          disabled={text.trim() === ""}
          loading={reprocessing}
          onClick={() => onReprocess(text)}
          icon={<RefreshCcw className="size-3.5" aria-hidden="true" />}
        >
          Re-process with fix
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
