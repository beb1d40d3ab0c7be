#include "store/migrations.h"

namespace custody::store {
namespace {

const Migration kMigrations[] = {
    {1, "transparency log",
     // One log per store. `size` is the integrated tree size, the one the latest
     // checkpoint signs; the rows below are the log's tiles, entries and every
     // checkpoint it ever published.
     "CREATE TABLE log_meta (id INTEGER PRIMARY KEY, origin TEXT NOT NULL, verifier_key TEXT NOT NULL,"
     " size INTEGER NOT NULL, created_at TEXT NOT NULL);\n"
     "CREATE TABLE log_entries (idx INTEGER PRIMARY KEY, data BLOB NOT NULL);\n"
     "CREATE TABLE log_tiles (level INTEGER NOT NULL, idx INTEGER NOT NULL, data BLOB NOT NULL,"
     " checksum BLOB NOT NULL, PRIMARY KEY (level, idx));\n"
     "CREATE TABLE log_checkpoints (size INTEGER PRIMARY KEY, note TEXT NOT NULL, created_at TEXT NOT NULL);\n"},
    {2, "attestations, registry and decisions",
     // Append-only: rows are inserted, never updated or deleted. A model
     // version keeps its digest forever (primary key); an alias moves by a new
     // row with the next sequence number; an attestation is revoked by a
     // signed revocation attestation, kept beside it.
     "CREATE TABLE artifacts (digest TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,"
     " created_at TEXT NOT NULL);\n"
     "CREATE TABLE attestations (id TEXT PRIMARY KEY, predicate_type TEXT NOT NULL, bundle BLOB NOT NULL,"
     " statement TEXT NOT NULL, signer_keyid TEXT NOT NULL, recorded_at TEXT NOT NULL, recorded_ns INTEGER NOT NULL);\n"
     // Where an attestation is in the transparency log (it may be logged
     // after it was first recorded, or in more than one log position).
     "CREATE TABLE attestation_log (attestation_id TEXT NOT NULL, log_index INTEGER NOT NULL,"
     " PRIMARY KEY (attestation_id, log_index));\n"
     "CREATE TABLE attestation_subjects (digest TEXT NOT NULL, attestation_id TEXT NOT NULL, name TEXT NOT NULL,"
     " PRIMARY KEY (digest, attestation_id));\n"
     "CREATE TABLE registry (name TEXT NOT NULL, version TEXT NOT NULL, digest TEXT NOT NULL, path TEXT NOT NULL,"
     " signature_id TEXT, created_at TEXT NOT NULL, PRIMARY KEY (name, version));\n"
     "CREATE INDEX registry_digest ON registry (digest);\n"
     "CREATE TABLE registry_aliases (name TEXT NOT NULL, alias TEXT NOT NULL, seq INTEGER NOT NULL,"
     " version TEXT NOT NULL, decision_id TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (name, alias, seq));\n"
     "CREATE TABLE decisions (id TEXT PRIMARY KEY, subject_name TEXT NOT NULL, subject_digest TEXT NOT NULL,"
     " allowed INTEGER NOT NULL, decision TEXT NOT NULL, bundle BLOB NOT NULL, log_index INTEGER,"
     " created_at TEXT NOT NULL, created_ns INTEGER NOT NULL);\n"
     "CREATE INDEX decisions_subject ON decisions (subject_digest);\n"},
    {3, "event feedback",
     // Append-only analyst verdicts on audit-event patterns (custody detect
     // feedback): the event's caller, action, source IP, user agent and the
     // reason kinds it had (comma-separated); verdict "benign" or "malicious".
     "CREATE TABLE event_feedback (id INTEGER PRIMARY KEY, verdict TEXT NOT NULL, event_id TEXT NOT NULL,"
     " caller TEXT NOT NULL, action TEXT NOT NULL, source_ip TEXT NOT NULL, user_agent TEXT NOT NULL,"
     " reasons TEXT NOT NULL, note TEXT NOT NULL, created_at TEXT NOT NULL);\n"
     "CREATE INDEX event_feedback_caller ON event_feedback (caller);\n"},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace custody::store
