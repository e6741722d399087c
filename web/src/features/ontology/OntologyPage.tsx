import { Boxes, Download, Upload, Waypoints } from "lucide-react";
import { useState } from "react";
import { Outlet } from "react-router";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/Button";
import { PageHeader } from "@/components/ui/PageHeader";
import { TabNav } from "@/components/ui/TabNav";
import { useToast } from "@/components/ui/Toast";
import { ImportDialog } from "./ImportDialog";
import { fetchOntologyYaml, useCanWriteOntology } from "./queries";

/** Save text as a file through a temporary link. */
function download(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/**
 * /ontology — the header (Export and Import YAML) over two tabs: the object types, and the
 * mappings that fill them from datasets.
 */
export function OntologyPage() {
  const canWrite = useCanWriteOntology();
  const toast = useToast();
  const [exporting, setExporting] = useState(false);
  const [importing, setImporting] = useState(false);

  async function exportYaml() {
    setExporting(true);
    try {
      download(await fetchOntologyYaml(), "ontology.yaml");
    } catch (e) {
      toast.error("Couldn't export the ontology", errorMessage(e));
    } finally {
      setExporting(false);
    }
  }

  return (
    <>
      <PageHeader
        title="Ontology"
        description="Model the things your mission cares about — aircraft, units, contracts — as object types with typed properties and links, then map dataset columns onto them and sync."
        actions={
          <>
            <Button
              onClick={exportYaml}
              loading={exporting}
              icon={<Download className="size-3.5" aria-hidden="true" />}
              title="Object types, link types and mappings as one YAML document, for git"
            >
              Export YAML
            </Button>
            {canWrite && (
              <Button
                onClick={() => setImporting(true)}
                icon={<Upload className="size-3.5" aria-hidden="true" />}
              >
                Import YAML
              </Button>
            )}
          </>
        }
      />
      <TabNav
        label="Ontology sections"
        items={[
          { to: "/ontology/types", label: "Object types", icon: Boxes },
          { to: "/ontology/mappings", label: "Mappings", icon: Waypoints },
        ]}
      />
      <Outlet />
      <ImportDialog open={importing} onClose={() => setImporting(false)} />
    </>
  );
}
