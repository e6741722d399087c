import { Search } from "lucide-react";
import { UserMenu } from "./UserMenu";

export function TopBar() {
  return (
    <header className="flex h-14 shrink-0 items-center justify-between gap-4 border-b border-zinc-200/80 bg-white px-6">
      <div className="relative w-full max-w-md">
        <Search
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-400"
        />
        <input
          type="search"
          disabled
          aria-label="Search"
          placeholder="Search coming with the Catalog"
          className="h-9 w-full cursor-not-allowed rounded-lg bg-zinc-100/80 pr-3 pl-9 text-sm text-zinc-500 ring-1 ring-zinc-200/80 ring-inset placeholder:text-zinc-400"
        />
      </div>
      <UserMenu />
    </header>
  );
}
