import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import { createPortal } from "react-dom";
import { Link } from "react-router";
import { cn } from "@/lib/cn";

const MenuContext = createContext<{ close: (refocus?: boolean) => void } | null>(null);

interface MenuProps {
  /** Accessible name of the trigger button. */
  label: string;
  trigger: ReactNode;
  triggerClassName?: string;
  children: ReactNode;
  align?: "start" | "end";
  /** Open upward/downward relative to the trigger. */
  side?: "bottom" | "top";
  width?: string;
}

interface Position {
  top?: number;
  bottom?: number;
  left?: number;
  right?: number;
}

/** A menu button (WAI-ARIA pattern): arrows move, Escape closes, focus returns to the button. */
export function Menu({
  label,
  trigger,
  triggerClassName,
  children,
  align = "end",
  side = "bottom",
  width = "w-56",
}: MenuProps) {
  const [open, setOpen] = useState(false);
  const [pos, setPos] = useState<Position>({});
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const close = useCallback((refocus = true) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }, []);

  useLayoutEffect(() => {
    if (!open || !buttonRef.current) return;
    const r = buttonRef.current.getBoundingClientRect();
    const next: Position = {};
    if (side === "bottom") next.top = r.bottom + 6;
    else next.bottom = window.innerHeight - r.top + 6;
    if (align === "end") next.right = window.innerWidth - r.right;
    else next.left = r.left;
    setPos(next);
  }, [open, align, side]);

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    function onPointer(e: MouseEvent) {
      const t = e.target as Node;
      if (!menuRef.current?.contains(t) && !buttonRef.current?.contains(t)) setOpen(false);
    }
    function onScrollOrResize() {
      setOpen(false);
    }
    document.addEventListener("mousedown", onPointer);
    window.addEventListener("resize", onScrollOrResize);
    window.addEventListener("scroll", onScrollOrResize, true);
    return () => {
      document.removeEventListener("mousedown", onPointer);
      window.removeEventListener("resize", onScrollOrResize);
      window.removeEventListener("scroll", onScrollOrResize, true);
    };
  }, [open]);

  function onMenuKeyDown(e: React.KeyboardEvent) {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    const focusAt = (n: number) => items[(n + items.length) % items.length]?.focus();
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        focusAt(i + 1);
        break;
      case "ArrowUp":
        e.preventDefault();
        focusAt(i - 1);
        break;
      case "Home":
        e.preventDefault();
        focusAt(0);
        break;
      case "End":
        e.preventDefault();
        focusAt(items.length - 1);
        break;
      case "Escape":
        e.preventDefault();
        e.stopPropagation();
        close();
        break;
      case "Tab":
        close(false);
        break;
    }
  }

  return (
    <MenuContext.Provider value={{ close }}>
      <button
        ref={buttonRef}
        type="button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        className={triggerClassName}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" || e.key === "ArrowUp") {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {trigger}
      </button>
      {open &&
        createPortal(
          <div
            ref={menuRef}
            id={menuId}
            role="menu"
            aria-label={label}
            tabIndex={-1}
            onKeyDown={onMenuKeyDown}
            style={pos}
            className={cn(
              "fixed z-40 animate-pop-in rounded-lg bg-white p-1 shadow-overlay focus:outline-none",
              width,
            )}
          >
            {children}
          </div>,
          document.body,
        )}
    </MenuContext.Provider>
  );
}

const itemClass =
  "flex w-full items-center gap-2.5 rounded-md px-2 py-1.5 text-left text-sm text-zinc-700 outline-none hover:bg-zinc-100 focus:bg-zinc-100 focus:text-zinc-900 [&>svg]:size-4 [&>svg]:text-zinc-400";

export function MenuItem({
  children,
  onSelect,
  tone,
}: {
  children: ReactNode;
  onSelect: () => void;
  tone?: "danger";
}) {
  const ctx = useContext(MenuContext);
  return (
    <button
      type="button"
      role="menuitem"
      tabIndex={-1}
      className={cn(
        itemClass,
        tone === "danger" && "text-red-600 hover:bg-red-50 focus:bg-red-50 [&>svg]:text-red-500",
      )}
      onClick={() => {
        // Focus goes back to the menu button first, so a dialog this opens returns it there.
        ctx?.close(true);
        onSelect();
      }}
    >
      {children}
    </button>
  );
}

export function MenuLink({ to, children }: { to: string; children: ReactNode }) {
  const ctx = useContext(MenuContext);
  return (
    <Link
      to={to}
      role="menuitem"
      tabIndex={-1}
      className={itemClass}
      onClick={() => ctx?.close(false)}
    >
      {children}
    </Link>
  );
}

export function MenuSeparator() {
  return <hr className="-mx-1 my-1 border-zinc-100" />;
}

export function MenuHeader({ children }: { children: ReactNode }) {
  return <div className="px-2 pt-1.5 pb-2">{children}</div>;
}
