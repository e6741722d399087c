import { RotateCw, WifiOff } from "lucide-react";
import { errorMessage } from "@/api/errors";
import { LogoMark } from "@/components/Logo";
import { Button } from "@/components/ui/Button";
import { Spinner } from "@/components/ui/Spinner";

export function FullScreenLoading() {
  return (
    <div className="flex h-screen flex-col items-center justify-center gap-4 bg-zinc-50">
      <LogoMark className="size-9 animate-pulse" />
      <p className="flex items-center gap-2 text-sm text-zinc-500" role="status">
        <Spinner className="size-3.5" /> Loading dataops…
      </p>
    </div>
  );
}

export function FullScreenError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div className="flex h-screen flex-col items-center justify-center bg-zinc-50 px-6 text-center">
      <div className="mb-4 flex size-12 items-center justify-center rounded-full bg-white text-zinc-500 shadow-card">
        <WifiOff className="size-5" aria-hidden="true" />
      </div>
      <h1 className="text-base font-semibold text-zinc-900">Can't reach dataops</h1>
      <p className="mt-1 max-w-sm text-sm text-zinc-500">{errorMessage(error)}</p>
      <Button
        className="mt-5"
        onClick={onRetry}
        icon={<RotateCw className="size-3.5" aria-hidden="true" />}
      >
        Try again
      </Button>
    </div>
  );
}
