import { useQuery } from "@tanstack/react-query";
import { NavLink } from "react-router";
import { Wordmark } from "@/components/Logo";
import { useMe } from "@/features/auth/queries";
import { metaQuery } from "@/features/meta/queries";
import { cn } from "@/lib/cn";
import { visibleNav } from "./nav";

export function Sidebar() {
  const me = useMe();
  const meta = useQuery(metaQuery);
  const groups = visibleNav(me.permissions);
  return (
    <aside className="flex w-60 shrink-0 flex-col bg-zinc-950 text-zinc-400">
      <div className="flex h-14 items-center px-4">
        <NavLink to="/catalog" aria-label="dataops home" className="rounded-md">
          <Wordmark dark />
        </NavLink>
      </div>
      <nav aria-label="Main" className="flex-1 overflow-y-auto px-2.5 pt-2 pb-4">
        {groups.map((group) => (
          <div key={group.label} className="mb-5">
            <p className="px-2.5 pb-1.5 text-[11px] font-medium tracking-wider text-zinc-500 uppercase">
              {group.label}
            </p>
            <ul className="flex flex-col gap-0.5">
              {group.items.map(({ to, label, icon: Icon, nested }) => (
                <li key={to}>
                  <NavLink
                    to={to}
                    end={to === "/governance"}
                    className={({ isActive }) =>
                      cn(
                        "group flex h-8 items-center gap-2.5 rounded-md px-2.5 text-[13px] font-medium transition-colors",
                        nested && "ml-4 h-7 text-[12.5px]",
                        isActive
                          ? "bg-white/10 text-white"
                          : "text-zinc-400 hover:bg-white/5 hover:text-zinc-100",
                      )
                    }
                  >
                    {({ isActive }) => (
                      <>
                        <Icon
                          aria-hidden="true"
                          className={cn(
                            "shrink-0",
                            nested ? "size-3.5" : "size-4",
                            isActive
                              ? "text-accent-300"
                              : "text-zinc-500 group-hover:text-zinc-300",
                          )}
                        />
                        {label}
                      </>
                    )}
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <div className="border-t border-white/5 px-4 py-3 text-[11px] text-zinc-500">
        <span className="inline-flex items-center gap-1.5">
          <span className="size-1.5 rounded-full bg-emerald-500" aria-hidden="true" />
          dataops {meta.data ? `v${meta.data.version}` : ""}
        </span>
      </div>
    </aside>
  );
}
