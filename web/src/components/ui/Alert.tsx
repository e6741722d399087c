import { AlertCircle, CheckCircle2, Info, TriangleAlert } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

type AlertTone = "info" | "success" | "warning" | "error";

const styles: Record<AlertTone, { box: string; icon: ReactNode }> = {
  info: {
    box: "bg-accent-50/70 text-accent-900 ring-accent-200",
    icon: <Info className="size-4 text-accent-500" aria-hidden="true" />,
  },
  success: {
    box: "bg-emerald-50 text-emerald-900 ring-emerald-200",
    icon: <CheckCircle2 className="size-4 text-emerald-600" aria-hidden="true" />,
  },
  warning: {
    box: "bg-amber-50 text-amber-900 ring-amber-200",
    icon: <TriangleAlert className="size-4 text-amber-600" aria-hidden="true" />,
  },
  error: {
    box: "bg-red-50 text-red-900 ring-red-200",
    icon: <AlertCircle className="size-4 text-red-600" aria-hidden="true" />,
  },
};

interface AlertProps {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  className?: string;
}

export function Alert({ tone = "info", title, children, action, className }: AlertProps) {
  const s = styles[tone];
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={cn("flex gap-3 rounded-lg p-3 text-sm ring-1 ring-inset", s.box, className)}
    >
      <span className="mt-0.5 shrink-0">{s.icon}</span>
      <div className="min-w-0 flex-1">
        {title && <p className="font-medium">{title}</p>}
        {children && (
          <div className={cn(title ? "mt-0.5" : undefined, "opacity-90")}>{children}</div>
        )}
      </div>
      {action && <div className="shrink-0 self-center">{action}</div>}
    </div>
  );
}
