import type { AuditOutcome } from "@/api/types";
import { Badge, type Tone } from "@/components/ui/Badge";

const OUTCOMES: Record<string, { tone: Tone; label: string }> = {
  success: { tone: "green", label: "Success" },
  failure: { tone: "red", label: "Failure" },
  denied: { tone: "amber", label: "Denied" },
};

export function OutcomeBadge({ outcome }: { outcome: AuditOutcome | string }) {
  const o = OUTCOMES[outcome] ?? { tone: "neutral" as Tone, label: outcome };
  return (
    <Badge tone={o.tone} dot>
      {o.label}
    </Badge>
  );
}
