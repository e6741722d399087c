import { ArrowRight, Check, ScrollText, Sparkles } from "lucide-react";
import { Link } from "react-router";
import { Card } from "@/components/ui/Card";
import { PageHeader } from "@/components/ui/PageHeader";
import { useCan } from "@/features/auth/queries";
import type { PlaceholderPage } from "./pages";

/** A page whose feature arrives later: what it will do and what it comes with. */
export function ComingSoonPage({ page }: { page: PlaceholderPage }) {
  const Icon = page.icon;
  return (
    <>
      <PageHeader title={page.title} description={page.summary} />
      <Card className="relative overflow-hidden">
        <div
          aria-hidden="true"
          className="pointer-events-none absolute inset-0 bg-[linear-gradient(to_right,rgb(228_228_231/0.55)_1px,transparent_1px),linear-gradient(to_bottom,rgb(228_228_231/0.55)_1px,transparent_1px)] [mask-image:radial-gradient(ellipse_at_top,black_20%,transparent_70%)] bg-[size:28px_28px]"
        />
        <div className="relative flex flex-col items-center px-8 pt-14 pb-12 text-center">
          <div className="relative mb-5">
            <div className="absolute inset-0 -m-4 rounded-full bg-accent-200/50 blur-xl" />
            <div className="relative flex size-14 items-center justify-center rounded-2xl bg-gradient-to-br from-white to-zinc-50 text-accent-600 shadow-card">
              <Icon className="size-6" aria-hidden="true" />
            </div>
          </div>
          <p className="inline-flex items-center gap-1.5 rounded-full bg-accent-50 px-2.5 py-1 text-xs font-medium text-accent-700 ring-1 ring-accent-600/15 ring-inset">
            <Sparkles className="size-3.5" aria-hidden="true" />
            Coming with {page.comesWith}
          </p>
          <h2 className="mt-4 text-lg font-semibold tracking-tight text-zinc-900">
            {page.title} isn't here yet
          </h2>
          <p className="mt-1.5 max-w-lg text-sm text-zinc-500">
            Here is what you'll be able to do on this page:
          </p>
          <ul className="mt-6 grid w-full max-w-2xl gap-3 sm:grid-cols-3">
            {page.highlights.map((h) => (
              <li
                key={h}
                className="flex items-start gap-2 rounded-lg bg-white/80 px-3 py-2.5 text-left text-sm text-zinc-600 ring-1 ring-zinc-200"
              >
                <Check className="mt-0.5 size-4 shrink-0 text-accent-500" aria-hidden="true" />
                {h}
              </li>
            ))}
          </ul>
          {page.path === "governance" && <AuditShortcut />}
        </div>
      </Card>
    </>
  );
}

function AuditShortcut() {
  const canReadAudit = useCan("audit:read");
  if (!canReadAudit) return null;
  return (
    <Link
      to="/governance/audit"
      className="group mt-8 inline-flex items-center gap-3 rounded-lg bg-white px-4 py-3 text-left shadow-card transition-shadow hover:shadow-md"
    >
      <ScrollText className="size-5 text-zinc-500" aria-hidden="true" />
      <span>
        <span className="block text-sm font-medium text-zinc-900">
          Available now: the audit trail
        </span>
        <span className="block text-xs text-zinc-500">
          Every sign-in and change, hash-chained and verifiable
        </span>
      </span>
      <ArrowRight
        className="size-4 text-zinc-400 transition-transform group-hover:translate-x-0.5"
        aria-hidden="true"
      />
    </Link>
  );
}
