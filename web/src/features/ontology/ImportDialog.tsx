import { FileUp } from "lucide-react";
import { type ChangeEvent, useId, useState } from "react";
import { errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/Dialog";
import { Field } from "@/components/ui/Field";
import { Textarea } from "@/components/ui/Input";
import { useImportOntology } from "./queries";
import type { OntologyImportResult } from "./types";

const PLACEHOLDER = `object_types:
  - name: Aircraft
    key_property: tailNumber
    properties:
      - {name: tailNumber, kind: string}
      - {name: yearBuilt, kind: integer}`;

/** Paste (or load) a YAML document from Export YAML; the import is all or nothing. */
export function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [text, setText] = useState("");
  const imported = useImportOntology();
  const fileId = useId();

  function close() {
    imported.reset();
    setText("");
    onClose();
  }

  async function load(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (file) setText(await file.text());
    e.target.value = "";
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      size="lg"
      title="Import ontology YAML"
      description="Creates what is missing and updates what exists, by name. Nothing is changed unless the whole document applies; a breaking type change needs migration: rewrite in the document."
    >
      <DialogBody>
        <Field
          label="YAML document"
          action={
            <label
              htmlFor={fileId}
              className="inline-flex cursor-pointer items-center gap-1 text-xs font-medium text-accent-700 hover:underline"
            >
              <FileUp className="size-3.5" aria-hidden="true" />
              Load a file…
              <input
                id={fileId}
                type="file"
                accept=".yaml,.yml,text/yaml,application/yaml"
                className="sr-only"
                onChange={load}
              />
            </label>
          }
        >
          {(p) => (
            <Textarea
              {...p}
              value={text}
              onChange={(e) => {
                imported.reset();
                setText(e.target.value);
              }}
              rows={14}
              spellCheck={false}
              placeholder={PLACEHOLDER}
              className="font-mono text-xs leading-5"
            />
          )}
        </Field>
        {imported.isError && (
          <Alert tone="error" title="Nothing was imported">
            <span className="break-words whitespace-pre-wrap">{errorMessage(imported.error)}</span>
          </Alert>
        )}
        {imported.data && <ImportResult result={imported.data} />}
      </DialogBody>
      <DialogFooter>
        <Button onClick={close}>{imported.data ? "Close" : "Cancel"}</Button>
        {!imported.data && (
          <Button
            variant="primary"
            disabled={!text.trim()}
            loading={imported.isPending}
            onClick={() => imported.mutate(text)}
          >
            Import
          </Button>
        )}
      </DialogFooter>
    </Dialog>
  );
}

function ImportResult({ result }: { result: OntologyImportResult }) {
  const none = result.created.length === 0 && result.updated.length === 0;
  return (
    <Alert tone="success" title={none ? "Already up to date" : "Imported"}>
      {none ? (
        "Everything in the document already exists as written."
      ) : (
        <div className="flex flex-col gap-1">
          {result.created.length > 0 && (
            <p>
              <span className="font-medium">Created:</span> {result.created.join(", ")}
            </p>
          )}
          {result.updated.length > 0 && (
            <p>
              <span className="font-medium">Updated:</span> {result.updated.join(", ")}
            </p>
          )}
        </div>
      )}
    </Alert>
  );
}
