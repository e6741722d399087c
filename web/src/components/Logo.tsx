import { cn } from "@/lib/cn";

/** The dataops mark: three stacked layers (sources → lake → products). */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={cn("size-7", className)} aria-hidden="true">
      <defs>
        <linearGradient id="dataops-mark" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#818cf8" />
          <stop offset="1" stopColor="#4f46e5" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="8" fill="url(#dataops-mark)" />
      <path d="M16 7.5 25 12l-9 4.5L7 12z" fill="#fff" />
      <path
        d="m7 16.2 9 4.5 9-4.5M7 20.4l9 4.5 9-4.5"
        fill="none"
        stroke="#fff"
        strokeOpacity="0.85"
        strokeWidth="1.9"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function Wordmark({ className, dark }: { className?: string; dark?: boolean }) {
  return (
    <span className={cn("flex items-center gap-2.5", className)}>
      <LogoMark />
      <span
        className={cn(
          "text-[15px] font-semibold tracking-tight",
          dark ? "text-white" : "text-zinc-900",
        )}
      >
        dataops
      </span>
    </span>
  );
}
