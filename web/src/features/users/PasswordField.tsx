import { Eye, EyeOff, Wand2 } from "lucide-react";
import { useState } from "react";
import { CopyButton } from "@/components/ui/CopyButton";
import { Field } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { generatePassword, PASSWORD_HINT } from "@/features/auth/passwordPolicy";

interface PasswordFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
}

/** A password an admin sets for someone else: generate, reveal, copy. */
export function GeneratedPasswordField({
  label,
  value,
  onChange,
  error,
  hint,
}: PasswordFieldProps) {
  const [visible, setVisible] = useState(false);
  return (
    <Field
      label={label}
      error={error}
      hint={hint ?? PASSWORD_HINT}
      action={
        <button
          type="button"
          aria-label="Generate password"
          onClick={() => {
            onChange(generatePassword());
            setVisible(true);
          }}
          className="inline-flex items-center gap-1 rounded px-1 text-xs font-medium text-accent-600 hover:text-accent-500"
        >
          <Wand2 className="size-3.5" aria-hidden="true" />
          Generate
        </button>
      }
    >
      {(p) => (
        <div className="relative">
          <Input
            {...p}
            type={visible ? "text" : "password"}
            autoComplete="new-password"
            spellCheck={false}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            className="pr-16 font-mono"
          />
          <div className="absolute top-1/2 right-1.5 flex -translate-y-1/2 items-center">
            {value && <CopyButton value={value} label="Copy password" />}
            <button
              type="button"
              aria-label={visible ? "Hide password" : "Show password"}
              onClick={() => setVisible((v) => !v)}
              className="rounded-md p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700"
            >
              {visible ? (
                <EyeOff className="size-3.5" aria-hidden="true" />
              ) : (
                <Eye className="size-3.5" aria-hidden="true" />
              )}
            </button>
          </div>
        </div>
      )}
    </Field>
  );
}
