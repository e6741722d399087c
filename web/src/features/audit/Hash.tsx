import { CopyButton } from "@/components/ui/CopyButton";

/** A long hash, shortened for the eye, copied in full. */
export function Hash({ value, label }: { value: string | null | undefined; label: string }) {
  if (!value) return <span className="font-mono text-xs text-zinc-400">none</span>;
  const short = value.length > 24 ? `${value.slice(0, 14)}…${value.slice(-8)}` : value;
  return (
    <span className="inline-flex items-center gap-1">
      <code title={value} className="font-mono text-xs text-zinc-700">
        {short}
      </code>
      <CopyButton value={value} label={`Copy ${label}`} />
    </span>
  );
}
