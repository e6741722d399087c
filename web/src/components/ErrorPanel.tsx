import { Lock, RotateCw, ServerCrash } from "lucide-react";
import { errorMessage, isApiError } from "@/api/errors";
import { Button } from "./ui/Button";
import { Card } from "./ui/Card";

/** Shown instead of a page or section the user's role doesn't allow. */
export function ForbiddenPanel({ area, reason }: { area: string; reason?: string }) {
  return (
    <Card className="px-6 py-16">
      <div className="mx-auto flex max-w-md flex-col items-center text-center">
        <div className="mb-4 flex size-12 items-center justify-center rounded-full bg-zinc-100 text-zinc-500 ring-8 ring-zinc-50">
          <Lock className="size-5" aria-hidden="true" />
        </div>
        <p className="text-base font-semibold text-zinc-900">You don't have access to {area}</p>
        <p className="mt-1.5 text-sm text-zinc-500">
          {reason ??
            "Your role doesn't include this area. If you need it for your work, ask an administrator to change your role."}
        </p>
      </div>
    </Card>
  );
}

/** A failed query: 403 becomes the access panel; anything else offers a retry. */
export function QueryErrorPanel({
  error,
  area,
  onRetry,
}: {
  error: unknown;
  area: string;
  onRetry?: () => void;
}) {
  if (isApiError(error, 403)) return <ForbiddenPanel area={area} />;
  return (
    <div className="flex flex-col items-center px-6 py-14 text-center">
      <div className="mb-3 flex size-11 items-center justify-center rounded-full bg-red-50 text-red-500">
        <ServerCrash className="size-5" aria-hidden="true" />
      </div>
      <p className="text-sm font-semibold text-zinc-900">Couldn't load {area}</p>
      <p className="mt-1 max-w-sm text-sm text-zinc-500">{errorMessage(error)}</p>
      {onRetry && (
        <Button
          className="mt-4"
          onClick={onRetry}
          icon={<RotateCw className="size-3.5" aria-hidden="true" />}
        >
          Try again
        </Button>
      )}
    </div>
  );
}
