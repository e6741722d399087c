import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, Check, ChevronRight, Plug } from "lucide-react";
import { useNavigate, useSearchParams } from "react-router";
import { ForbiddenPanel, QueryErrorPanel } from "@/components/ErrorPanel";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { BackLink, PageHeader } from "@/components/ui/PageHeader";
import { Skeleton } from "@/components/ui/Skeleton";
import { useToast } from "@/components/ui/Toast";
import { cn } from "@/lib/cn";
import { connectorsQuery, useCanCreateSources, useCreateSource, useTestSource } from "./queries";
import { SourceForm, type SourceFormValues } from "./SourceForm";
import type { ConnectorType } from "./types";
import { blurbFor, CATEGORIES, TypeIcon } from "./visuals";

/** /sources/new: pick a type (`?type=` keeps the choice in the URL), then fill its settings. */
export function NewSourcePage() {
  const canCreate = useCanCreateSources();
  const [params, setParams] = useSearchParams();
  const types = useQuery(connectorsQuery);
  const typeName = params.get("type");
  const chosen = types.data?.items.find((t) => t.type === typeName);

  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        eyebrow={<BackLink to="/sources">Sources</BackLink>}
        title={chosen ? `New ${chosen.title} source` : "New source"}
        description={
          chosen
            ? "Fill in the connection settings, test them, then save."
            : "Where does the data live? Pick the kind of system to connect to."
        }
      />
      {!canCreate ? (
        <ForbiddenPanel
          area="new sources"
          reason="Adding sources is for data engineers and administrators. Ask one to connect the system you need and share it with you."
        />
      ) : (
        <>
          <Steps step={chosen ? 2 : 1} />
          {types.isError ? (
            <Card>
              <QueryErrorPanel
                error={types.error}
                area="source types"
                onRetry={() => types.refetch()}
              />
            </Card>
          ) : types.isPending ? (
            <TypePickerSkeleton />
          ) : chosen ? (
            <NewSourceForm
              key={chosen.type}
              type={chosen}
              onBack={() => setParams({}, { replace: false })}
            />
          ) : (
            <TypePicker types={types.data.items} onPick={(t) => setParams({ type: t.type })} />
          )}
        </>
      )}
    </div>
  );
}

function Steps({ step }: { step: 1 | 2 }) {
  const items = ["Choose a type", "Configure and test"];
  return (
    <ol className="mb-6 flex items-center gap-3 text-sm" aria-label="Progress">
      {items.map((label, i) => {
        const n = i + 1;
        const done = n < step;
        const current = n === step;
        return (
          <li
            key={label}
            className="flex items-center gap-3"
            aria-current={current ? "step" : undefined}
          >
            {i > 0 && <span aria-hidden="true" className="h-px w-8 bg-zinc-300" />}
            <span
              className={cn(
                "flex size-6 items-center justify-center rounded-full text-xs font-semibold",
                done && "bg-accent-600 text-white",
                current && "bg-accent-50 text-accent-700 ring-1 ring-accent-600/30",
                !done && !current && "bg-zinc-100 text-zinc-500",
              )}
            >
              {done ? <Check className="size-3.5" aria-hidden="true" /> : n}
            </span>
            <span className={cn(current ? "font-medium text-zinc-900" : "text-zinc-500")}>
              {label}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

function TypePicker({
  types,
  onPick,
}: {
  types: ConnectorType[];
  onPick: (t: ConnectorType) => void;
}) {
  if (types.length === 0) {
    return (
      <Card>
        <EmptyState
          icon={Plug}
          title="No source types are installed"
          description="This server has no connectors. They ship with dataops and as plugins; ask your administrator."
        />
      </Card>
    );
  }
  const known = new Set(CATEGORIES.map((c) => c.id));
  const groups = [
    ...CATEGORIES,
    ...[...new Set(types.map((t) => t.category))]
      .filter((c) => !known.has(c))
      .map((c) => ({ id: c, label: c, description: "" })),
  ]
    .map((c) => ({ ...c, types: types.filter((t) => t.category === c.id) }))
    .filter((g) => g.types.length > 0);

  return (
    <div className="flex flex-col gap-8">
      {groups.map((g) => (
        <section key={g.id} aria-labelledby={`cat-${g.id}`}>
          <div className="mb-3 flex items-baseline gap-2">
            <h2 id={`cat-${g.id}`} className="text-sm font-semibold text-zinc-900">
              {g.label}
            </h2>
            {g.description && <p className="text-xs text-zinc-500">{g.description}</p>}
          </div>
          <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {g.types.map((t) => (
              <li key={t.type}>
                <button
                  type="button"
                  aria-label={t.title}
                  aria-describedby={`type-${t.type}`}
                  onClick={() => onPick(t)}
                  className="group flex h-full w-full items-start gap-3 rounded-xl bg-white p-4 text-left shadow-card transition-all hover:shadow-md hover:ring-1 hover:ring-accent-300 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-500"
                >
                  <TypeIcon type={t.type} category={t.category} size="lg" />
                  <span className="min-w-0 flex-1">
                    <span className="flex items-center justify-between gap-2 text-sm font-semibold text-zinc-900">
                      {t.title}
                      <ChevronRight
                        className="size-4 text-zinc-300 transition-transform group-hover:translate-x-0.5 group-hover:text-accent-500"
                        aria-hidden="true"
                      />
                    </span>
                    <span id={`type-${t.type}`} className="mt-0.5 block text-xs text-zinc-500">
                      {blurbFor(t)}
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function TypePickerSkeleton() {
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-busy="true">
      {Array.from({ length: 6 }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
        <div key={i} className="flex items-start gap-3 rounded-xl bg-white p-4 shadow-card">
          <Skeleton className="size-10 rounded-lg" />
          <div className="flex-1 space-y-2 pt-1">
            <Skeleton className="h-3.5 w-24" />
            <Skeleton className="h-3 w-40" />
          </div>
        </div>
      ))}
    </div>
  );
}

function NewSourceForm({ type, onBack }: { type: ConnectorType; onBack: () => void }) {
  const create = useCreateSource();
  const testSaved = useTestSource();
  const navigate = useNavigate();
  const toast = useToast();

  function save(values: SourceFormValues) {
    create.mutate(
      {
        name: values.name,
        type: type.type,
        description: values.description,
        config: values.config,
      },
      {
        onSuccess: (source) => {
          toast.success(`Created ${source.name}`);
          // A saved source starts "untested". These very settings just passed a test in the
          // form, so test the saved source too and let its status say so.
          if (values.tested) testSaved.mutate(source.id);
          navigate(`/sources/${source.id}`);
        },
      },
    );
  }

  return (
    <>
      <button
        type="button"
        onClick={onBack}
        className="mb-3 inline-flex items-center gap-1 text-xs font-medium text-accent-600 hover:text-accent-700"
      >
        <ArrowLeft className="size-3.5" aria-hidden="true" />
        Choose another type
      </button>
      <SourceForm
        type={type}
        submitLabel="Save source"
        saving={create.isPending}
        saveError={create.error}
        onSubmit={save}
        onCancel={() => navigate("/sources")}
      />
    </>
  );
}
