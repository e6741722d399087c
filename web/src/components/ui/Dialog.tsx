import { X } from "lucide-react";
import { type ReactNode, useEffect, useId, useRef } from "react";
import { createPortal } from "react-dom";
import { cn } from "@/lib/cn";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  size?: "sm" | "md" | "lg";
  /** Shown left of the title, e.g. a warning icon. */
  icon?: ReactNode;
}

const widths = { sm: "max-w-md", md: "max-w-lg", lg: "max-w-2xl" };

/**
 * A modal dialog: focus moves in on open (first `[data-autofocus]`, else the first field), Tab is
 * kept inside, Escape and a click on the backdrop close it, and focus returns to the opener.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  size = "md",
  icon,
}: DialogProps) {
  if (!open) return null;
  return createPortal(
    <DialogPanel onClose={onClose} title={title} description={description} size={size} icon={icon}>
      {children}
    </DialogPanel>,
    document.body,
  );
}

/** Open dialogs, innermost last: only that one answers Escape and Tab. */
const openDialogs: Array<React.RefObject<HTMLDivElement | null>> = [];

function trapTab(e: KeyboardEvent, panel: HTMLElement) {
  const items = [...panel.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const firstItem = items[0];
  const lastItem = items.at(-1);
  if (!firstItem || !lastItem) return;
  const active = document.activeElement;
  if (!panel.contains(active)) {
    e.preventDefault();
    (e.shiftKey ? lastItem : firstItem).focus();
  } else if (e.shiftKey && active === firstItem) {
    e.preventDefault();
    lastItem.focus();
  } else if (!e.shiftKey && active === lastItem) {
    e.preventDefault();
    firstItem.focus();
  }
}

function DialogPanel({
  onClose,
  title,
  description,
  children,
  size = "md",
  icon,
}: Omit<DialogProps, "open">) {
  const panelRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const panel = panelRef.current;
    const first =
      panel?.querySelector<HTMLElement>("[data-autofocus]") ??
      panel?.querySelector<HTMLElement>(
        "input:not([disabled]):not([readonly]), select:not([disabled]), textarea:not([disabled])",
      ) ??
      panel;
    first?.focus();
    openDialogs.push(panelRef);
    const { overflow } = document.body.style;
    document.body.style.overflow = "hidden";

    // On the document, not the panel: focus can fall to <body> (e.g. a submit button that
    // disables itself while saving) and Escape must still close the dialog.
    function onKeyDown(e: KeyboardEvent) {
      if (openDialogs.at(-1) !== panelRef || !panelRef.current) return;
      if (e.key === "Escape") {
        e.preventDefault();
        onCloseRef.current();
      } else if (e.key === "Tab") {
        trapTab(e, panelRef.current);
      }
    }
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      openDialogs.splice(openDialogs.indexOf(panelRef), 1);
      document.body.style.overflow = overflow;
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto p-4 pt-[12vh]">
      <div
        aria-hidden="true"
        className="fixed inset-0 animate-fade-in bg-zinc-950/40 backdrop-blur-[2px]"
        onMouseDown={() => onCloseRef.current()}
      />
      <div
        ref={panelRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descId : undefined}
        tabIndex={-1}
        className={cn(
          "relative w-full animate-pop-in rounded-xl bg-white shadow-overlay focus:outline-none",
          widths[size],
        )}
      >
        <div className="flex items-start gap-3 px-5 pt-5 pb-1">
          {icon}
          <div className="min-w-0 flex-1">
            <h2 id={titleId} className="text-base font-semibold text-zinc-900">
              {title}
            </h2>
            {description && (
              <p id={descId} className="mt-1 text-sm text-zinc-500">
                {description}
              </p>
            )}
          </div>
          <button
            type="button"
            onClick={() => onCloseRef.current()}
            aria-label="Close dialog"
            className="-mt-1 -mr-1 rounded-md p-1.5 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-600"
          >
            <X className="size-4" aria-hidden="true" />
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

export function DialogBody({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cn("flex flex-col gap-4 px-5 py-4", className)}>{children}</div>;
}

export function DialogFooter({ children }: { children: ReactNode }) {
  return (
    <div className="flex items-center justify-end gap-2 rounded-b-xl border-t border-zinc-100 bg-zinc-50/70 px-5 py-3">
      {children}
    </div>
  );
}
