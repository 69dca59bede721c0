"""Demo data of the sandbox: a small team's month of jobs, runs, incidents, post-mortems and audit logs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from uhub_sandbox.store import SandboxStore

DOLIBARR_FAILED_LOG = [
    "2026-11-23T08:00:01Z ==> step: pull-image",
    "2026-11-23T08:00:14Z Pulling dolibarr/dolibarr:20.0.2 ... done",
    "2026-11-23T08:00:15Z ==> step: backup-db",
    "2026-11-23T08:00:41Z restic snapshot 4f1c2a9e saved (dolibarr.sql, 182 MiB)",
    "2026-11-23T08:00:42Z ==> step: migrate-db",
    "2026-11-23T08:00:43Z Running Dolibarr upgrade 19.0.3 -> 20.0.2 (install/upgrade.php)",
    "2026-11-23T08:01:07Z Request 'ALTER TABLE llx_societe ADD COLUMN fk_user_modif integer' failed",
    "2026-11-23T08:01:07Z ERROR: SQL migration failed: Duplicate column name 'fk_user_modif' (1060)",
    "2026-11-23T08:01:07Z step migrate-db failed with exit code 1",
    "2026-11-23T08:01:08Z ==> job failed: dolibarr-redeploy (run 318)",
]
DOLIBARR_OK_LOG = [
    "2026-11-13T08:00:01Z ==> step: pull-image",
    "2026-11-13T08:00:09Z ==> step: backup-db",
    "2026-11-13T08:00:30Z ==> step: migrate-db",
    "2026-11-13T08:00:31Z Nothing to migrate",
    "2026-11-13T08:00:32Z ==> step: restart",
    "2026-11-13T08:00:50Z ==> job succeeded: dolibarr-redeploy (run 311)",
]
BACKUP_FAILED_LOG = [
    "2026-11-24T03:00:00Z ==> step: dump-dolibarr",
    "2026-11-24T03:00:35Z mariadb-dump: 182 MiB written",
    "2026-11-24T03:00:36Z ==> step: upload-restic",
    "2026-11-24T03:02:11Z Fatal: unable to save snapshot: write /srv/restic/data/7a/7a93...: no space left on device",
    "2026-11-24T03:02:11Z step upload-restic failed with exit code 1",
    "2026-11-24T03:02:11Z ==> job failed: backup-nightly (run 409)",
]
SUCCESS_LOG = ["==> step: run", "==> job succeeded"]

POSTMORTEM_7 = """# Post-mortem : Dolibarr inaccessible après la montée de version du 15/03

## Résumé
Le 15/03/2026, la montée de version de Dolibarr 18 vers 19 a rendu l'ERP inaccessible pendant 2 h 10.

## Chronologie
- 09:02 lancement du job dolibarr-redeploy (run 204)
- 09:05 la migration SQL échoue ; le conteneur dolibarr-app redémarre en boucle
- 09:20 incident ouvert (SEV1), astreinte prévenue
- 10:40 restauration de la sauvegarde restic de 09:03
- 11:12 retour à l'image 18.0.5, service rétabli

## Cause racine
La migration a été relancée deux fois : la seconde exécution a trouvé des colonnes déjà créées
(`Duplicate column name`). Le runbook ne disait pas de restaurer la sauvegarde avant de relancer.

## Actions
- [x] Ajouter au runbook « ne pas relancer la migration en boucle » (alice)
- [ ] Faire échouer le job dès la première erreur SQL (bob)
- [ ] Tester les montées de version sur une copie de la base (carol)
"""


def seed(store: SandboxStore, now: datetime | None = None) -> None:
    now = now or datetime.now(UTC)

    def ago(**delta: float) -> str:
        return (now - timedelta(**delta)).isoformat()

    jobs: list[dict[str, Any]] = [
        {"id": 42, "name": "dolibarr-redeploy", "service": "dolibarr", "schedule": "manual",
         "description": "Pull the Dolibarr image, back up the database, run migrations, restart.",
         "status": "failed", "created_at": ago(days=200), "updated_at": ago(days=2)},
        {"id": 17, "name": "backup-nightly", "service": "backups", "schedule": "0 3 * * *",
         "description": "Dump Dolibarr and push it with the documents to restic on vps-3.",
         "status": "failed", "created_at": ago(days=300), "updated_at": ago(days=1)},
        {"id": 23, "name": "certbot-renew", "service": "nginx", "schedule": "0 4 * * 1",
         "description": "Renew Let's Encrypt certificates on vps-1.", "status": "success",
         "created_at": ago(days=300), "updated_at": ago(days=3)},
        {"id": 31, "name": "gitlab-backup", "service": "gitlab", "schedule": "30 2 * * *",
         "description": "gitlab-backup create, then restic.", "status": "success",
         "created_at": ago(days=250), "updated_at": ago(days=1)},
    ]
    runs: list[tuple[dict[str, Any], list[str]]] = [
        ({"id": 311, "job_id": 42, "status": "success", "started_at": ago(days=12), "finished_at": ago(days=12),
          "exit_code": 0, "trigger": "bob"}, DOLIBARR_OK_LOG),
        ({"id": 318, "job_id": 42, "status": "failed", "started_at": ago(days=2), "finished_at": ago(days=2),
          "exit_code": 1, "trigger": "alice"}, DOLIBARR_FAILED_LOG),
        ({"id": 401, "job_id": 17, "status": "success", "started_at": ago(days=2), "finished_at": ago(days=2),
          "exit_code": 0, "trigger": "schedule"}, SUCCESS_LOG),
        ({"id": 409, "job_id": 17, "status": "failed", "started_at": ago(days=1), "finished_at": ago(days=1),
          "exit_code": 1, "trigger": "schedule"}, BACKUP_FAILED_LOG),
        ({"id": 420, "job_id": 23, "status": "success", "started_at": ago(days=3), "finished_at": ago(days=3),
          "exit_code": 0, "trigger": "schedule"}, SUCCESS_LOG),
        ({"id": 431, "job_id": 31, "status": "success", "started_at": ago(days=1), "finished_at": ago(days=1),
          "exit_code": 0, "trigger": "schedule"}, SUCCESS_LOG),
    ]
    incidents: list[dict[str, Any]] = [
        {"id": 7, "title": "Dolibarr inaccessible après montée de version", "severity": "SEV1",
         "status": "resolved", "service": "dolibarr", "source": "oncall",
         "summary": "Migration SQL relancée deux fois, ERP indisponible 2 h 10.",
         "created_at": "2026-03-15T09:20:00+00:00", "updated_at": "2026-03-15T11:15:00+00:00",
         "timeline": [
             {"at": "2026-03-15T09:20:00+00:00", "author": "alice", "message": "ERP en erreur 502, incident ouvert."},
             {"at": "2026-03-15T09:35:00+00:00", "author": "alice",
              "message": "dolibarr-app redémarre en boucle : Duplicate column name pendant la migration."},
             {"at": "2026-03-15T10:40:00+00:00", "author": "bob",
              "message": "Sauvegarde restic de 09:03 restaurée."},
             {"at": "2026-03-15T11:12:00+00:00", "author": "bob",
              "message": "Retour à l'image 18.0.5, service rétabli."},
         ]},
        {"id": 12, "title": "Backups en échec : disque plein sur vps-3", "severity": "SEV2", "status": "open",
         "service": "backups", "source": "uhub", "summary": "Le dépôt restic sur vps-3 n'a plus d'espace.",
         "created_at": ago(hours=20), "updated_at": ago(hours=19),
         "timeline": [{"at": ago(hours=20), "author": "uhub", "message": "Job backup-nightly (run 409) en échec."}]},
    ]
    postmortems = [{"id": 3, "incident_id": 7, "title": "Dolibarr inaccessible après la montée de version du 15/03",
                    "markdown": POSTMORTEM_7, "created_at": "2026-03-18T14:00:00+00:00",
                    "updated_at": "2026-03-18T14:00:00+00:00"}]
    audit_logs = [
        {"id": 901, "at": ago(days=1, hours=2), "actor": "alice", "action": "secret.update",
         "target": "DOLIBARR_DB_PASSWORD", "details": "rotated after the SMTP relay migration"},
        {"id": 902, "at": ago(days=2), "actor": "alice", "action": "job.run", "target": "dolibarr-redeploy",
         "details": "run 318"},
        {"id": 903, "at": ago(days=5), "actor": "carol", "action": "user.role.grant", "target": "dave",
         "details": "granted ops"},
    ]
    for job in jobs:
        store.put("job", job)
    for run, lines in runs:
        store.put("run", run)
        store.set_logs(run["id"], lines)
    for incident in incidents:
        store.put("incident", incident)
    for postmortem in postmortems:
        store.put("postmortem", postmortem)
    for entry in audit_logs:
        store.put("audit_log", entry)
