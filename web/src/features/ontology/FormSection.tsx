import { type ReactNode, useId } from "react";

/** One titled part of a page-sized form card, with an optional action at the right. */
export function FormSection({
  title,
  description,
  action,
  children,
}: {
  title: string;
  description: ReactNode;
  action?: ReactNode;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section
      aria-labelledby={id}
      className="border-t border-zinc-100 px-6 pt-5 pb-6 first:border-t-0"
    >
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id={id} className="text-sm font-semibold text-zinc-900">
            {title}
          </h2>
          <p className="mt-0.5 text-xs text-zinc-500">{description}</p>
        </div>
        {action && <div className="flex shrink-0 items-center gap-2">{action}</div>}
      </div>
      {children}
    </section>
  );
}
