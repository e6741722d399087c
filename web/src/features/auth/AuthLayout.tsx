import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { api, unwrap } from "@/api/client";
import { Wordmark } from "@/components/Logo";

const healthQuery = {
  queryKey: ["health"] as const,
  queryFn: () => unwrap(api.GET("/health")),
  staleTime: Number.POSITIVE_INFINITY,
  retry: false,
};

/** The signed-out frame: dark backdrop, product mark, one centred card. */
export function AuthLayout({ children }: { children: ReactNode }) {
  const health = useQuery(healthQuery);
  return (
    <div className="relative flex min-h-screen flex-col items-center justify-center overflow-hidden bg-zinc-950 px-4 py-12">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-0 bg-[radial-gradient(60%_50%_at_50%_0%,rgb(99_102_241/0.28),transparent_70%)]"
      />
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-0 bg-[linear-gradient(to_right,rgb(255_255_255/0.04)_1px,transparent_1px),linear-gradient(to_bottom,rgb(255_255_255/0.04)_1px,transparent_1px)] [mask-image:radial-gradient(ellipse_at_center,black_30%,transparent_75%)] bg-[size:40px_40px]"
      />
      <div className="relative w-full max-w-[400px]">
        <div className="mb-8 flex flex-col items-center text-center">
          <Wordmark dark className="[&_span]:text-lg [&_svg]:size-9" />
          <p className="mt-3 text-sm text-zinc-400">
            Discover, build and trust mission data — in one place.
          </p>
        </div>
        <div className="rounded-2xl bg-white p-7 shadow-2xl shadow-black/40 ring-1 ring-white/10">
          {children}
        </div>
        <p className="mt-6 text-center text-xs leading-relaxed text-zinc-500">
          Authorized use only. Activity on this system is recorded in a tamper-evident audit log.
        </p>
        {health.data && (
          <p className="mt-2 text-center text-[11px] text-zinc-600">
            dataops v{health.data.version}
          </p>
        )}
      </div>
    </div>
  );
}
