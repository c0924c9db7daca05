import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { BACKUP_NAMES, durationMinutes } from '../../config';

export interface VeleroScheduleProps {
  /** Velero's namespace (the backup namespace). */
  readonly namespace: string;
  /** Name of the Schedule (its backups are named after it). */
  readonly name: string;
  /** Full names of the namespaces it backs up. */
  readonly includedNamespaces: readonly string[];
  /** Five-field cron schedule (UTC). */
  readonly schedule: string;
  /** How long each backup is kept, as in the model (`30d`). */
  readonly ttl: string;
  /** true: volumes copied file by file (Kopia, Hetzner); false: CSI snapshots (EKS). */
  readonly fileSystemBackup: boolean;
}

/**
 * A Velero Schedule (velero.io/v1, CRD in ../shared/crds/velero.io_schedules.yaml):
 * objects and volumes of the included namespaces, to the default storage location,
 * kept for `ttl`. Velero's cron runs in UTC.
 */
export class VeleroSchedule extends Construct {
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: VeleroScheduleProps) {
    super(scope, id);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        schedule: props.schedule,
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: [...props.includedNamespaces],
          storageLocation: BACKUP_NAMES.storageLocation,
          ttl: goDuration(durationMinutes(props.ttl)),
          defaultVolumesToFsBackup: props.fileSystemBackup,
          snapshotVolumes: !props.fileSystemBackup,
        },
      },
    });
  }
}

/** Minutes as a Go duration (`720h0m0s`), the form Velero writes itself. */
function goDuration(minutes: number): string {
  return `${Math.floor(minutes / 60)}h${minutes % 60}m0s`;
}
