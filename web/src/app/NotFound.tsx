import { Compass } from "lucide-react";
import { Link, useRouteError } from "react-router";
import { Button, buttonClasses } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <Card>
        <EmptyState
          icon={Compass}
          title="Nothing lives at this address"
          description="The link may be old, or the page may come with a later release."
          action={
            <Link to="/catalog" className={buttonClasses("primary")}>
              Go to the Catalog
            </Link>
          }
        />
      </Card>
    </>
  );
}

/** Last resort for a crash while rendering a route. */
export function RouteErrorPage() {
  const error = useRouteError();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="flex h-screen flex-col items-center justify-center bg-zinc-50 px-6 text-center">
      <h1 className="text-base font-semibold text-zinc-900">Something broke on this page</h1>
      <p className="mt-1 max-w-md font-mono text-xs text-zinc-500">{message}</p>
      <Button className="mt-5" onClick={() => window.location.reload()}>
        Reload
      </Button>
    </div>
  );
}
