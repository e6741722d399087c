import { CircleHelp } from "lucide-react";
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { cn } from "@/lib/cn";
import { applyHelp, FUNCTIONS, type HelpEntry, METHODS } from "./transformHelp";

/**
 * A "?" beside a transform input: the functions and methods a transform may use; choosing one
 * wraps the current transform in it. Escape or a click outside closes it.
 */
export function TransformHelp({
  property,
  current,
  onApply,
}: {
  property: string;
  current: string;
  onApply: (transform: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const [pos, setPos] = useState<{ top?: number; bottom?: number; right: number }>({ right: 0 });

  // Fixed by the button, outside the table's scroller (which would clip it); it follows the
  // button when the page scrolls or re-lays out (the live preview changes row heights).
  const place = useCallback(() => {
    if (!button.current) return;
    const r = button.current.getBoundingClientRect();
    const below = window.innerHeight - r.bottom > 300;
    setPos({
      right: Math.max(8, window.innerWidth - r.right),
      ...(below ? { top: r.bottom + 4 } : { bottom: window.innerHeight - r.top + 4 }),
    });
  }, []);

  useLayoutEffect(() => {
    if (open) place();
  }, [open, place]);

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>("button")?.focus({ preventScroll: true });
    function onPointer(e: MouseEvent) {
      const t = e.target as Node;
      if (!panel.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    }
    document.addEventListener("mousedown", onPointer);
    window.addEventListener("scroll", place, true);
    window.addEventListener("resize", place);
    return () => {
      document.removeEventListener("mousedown", onPointer);
      window.removeEventListener("scroll", place, true);
      window.removeEventListener("resize", place);
    };
  }, [open, place]);

  function choose(entry: HelpEntry) {
    onApply(applyHelp(entry, current));
    setOpen(false);
    button.current?.focus();
  }

  return (
    <div className="relative">
      <button
        ref={button}
        type="button"
        aria-label={`Transform functions for ${property}`}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((o) => !o)}
        className="flex size-8 items-center justify-center rounded-md text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700"
      >
        <CircleHelp className="size-4" aria-hidden="true" />
      </button>
      {open &&
        createPortal(
          <div
            ref={panel}
            id={panelId}
            role="dialog"
            aria-label="Transform functions"
            onKeyDown={(e) => {
              if (e.key === "Escape") {
                e.stopPropagation();
                setOpen(false);
                button.current?.focus();
              }
            }}
            style={pos}
            className="fixed z-40 flex max-h-96 w-[28rem] animate-pop-in flex-col overflow-hidden rounded-lg bg-white shadow-overlay"
          >
            <p className="border-b border-zinc-100 px-3 py-2 text-xs text-zinc-500">
              An expression over <code className="font-mono text-zinc-800">value</code> (the
              column's value) and <code className="font-mono text-zinc-800">row.column</code>, e.g.{" "}
              <code className="font-mono text-zinc-800">value ? "active" : "inactive"</code>. Pick
              one to wrap the current transform.
            </p>
            <div className="overflow-y-auto p-1">
              <Group title="Functions" entries={FUNCTIONS} onChoose={choose} />
              <Group title="Methods" entries={METHODS} onChoose={choose} />
            </div>
          </div>,
          document.body,
        )}
    </div>
  );
}

function Group({
  title,
  entries,
  onChoose,
}: {
  title: string;
  entries: HelpEntry[];
  onChoose: (e: HelpEntry) => void;
}) {
  return (
    <div>
      <p className="px-2 pt-2 pb-1 text-[11px] font-medium tracking-wide text-zinc-400 uppercase">
        {title}
      </p>
      <ul>
        {entries.map((e) => (
          <li key={e.signature}>
            <button
              type="button"
              onClick={() => onChoose(e)}
              className={cn(
                "flex w-full flex-col items-start rounded-md px-2 py-1 text-left hover:bg-zinc-100 focus:bg-zinc-100 focus:outline-none",
              )}
            >
              <code className="font-mono text-xs text-accent-700">{e.signature}</code>
              <span className="text-xs text-zinc-500">{e.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
