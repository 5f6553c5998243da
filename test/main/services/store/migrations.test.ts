import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { APPLICATION_ID } from '../../../../src/main/services/store/connection'
import { LATEST_SCHEMA_VERSION, MIGRATIONS, NewerSchemaError, Project, migrate, schemaVersion } from '../../../../src/main/services/store/index'
import { tempDir } from './helpers'

/** Rows a project at each schema version could hold, written with that version's SQL. */
const seeds: Record<number, (db: Database.Database) => void> = {
  1: (db) => {
    db.exec(`INSERT INTO meta(key, value) VALUES ('images_root', '/data/images'), ('images_root_from_project', '../images');
      INSERT INTO images(id, rel_path, content_hash, byte_size, width, height, format, added_at) VALUES
        (1, 'a.jpg', 'aa', 10, 4, 3, 'jpeg', 1), (2, 'b/c.png', 'bb', 20, 5, 6, 'png', 2);
      INSERT INTO categories(id, name, supercategory, color, created_at) VALUES (1, 'cat', NULL, '#e6194b', 3);
      INSERT INTO annotations(image_id, category_id, rle, area, bbox_x, bbox_y, bbox_w, bbox_h, status, source, score, method, created_at, updated_at)
        VALUES (1, 1, '52', 2, 1, 0, 1, 2, 'accepted', 'manual', NULL, '{"clicks":[[1,2]]}', 4, 4),
               (2, 1, '0k0', 3, 0, 0, 1, 3, 'proposed', 'persam', 0.5, NULL, 5, 5);
      INSERT INTO reference_sets(id, category_id, name, created_at) VALUES (1, 1, 'default', 6);
      INSERT INTO reference_members(set_id, annotation_id, added_at) VALUES (1, 1, 7);`)
  },
  2: (db) => {
    db.exec(`INSERT INTO history_steps(id, label, created_at, open) VALUES (1, 'Mark 1 as accepted', 8, 0);
      INSERT INTO history_ops(step_id, entity, before, after) VALUES (1, 'annotation',
        '{"id":2,"image_id":2,"category_id":1,"rle":"0k0","area":3,"bbox_x":0,"bbox_y":0,"bbox_w":1,"bbox_h":3,"iscrowd":0,"status":"proposed","source":"persam","score":0.5,"model_id":null,"method":null,"revision":1,"created_at":5,"updated_at":5}',
        '{"id":2,"image_id":2,"category_id":1,"rle":"0k0","area":3,"bbox_x":0,"bbox_y":0,"bbox_w":1,"bbox_h":3,"iscrowd":0,"status":"accepted","source":"persam","score":0.5,"model_id":null,"method":null,"revision":2,"created_at":5,"updated_at":9}');
      UPDATE annotations SET status = 'accepted', revision = 2, updated_at = 9 WHERE id = 2;`)
  },
}

function createAtVersion(dir: string, version: number): void {
  mkdirSync(dir, { recursive: true })
  const db = new Database(path.join(dir, 'project.sqlite'))
  db.pragma('journal_mode = WAL')
  db.pragma(`application_id = ${APPLICATION_ID}`)
  // Each version's rows are written at that version and then upgraded, as a real file would be.
  for (let v = 1; v <= version; v++) {
    migrate(db, v)
    seeds[v]?.(db)
  }
  db.close()
}

function schemaOf(db: Database.Database): string[] {
  return (db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string; sql: string | null }[]).map(
    (row) => `${row.type} ${row.name}: ${(row.sql ?? '').replace(/\s+/g, ' ')}`,
  )
}

const fileDigest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex')

describe('schema migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1))
  })

  for (let from = 1; from < LATEST_SCHEMA_VERSION; from++) {
    it(`upgrade a version ${from} project to version ${LATEST_SCHEMA_VERSION}, keeping its rows and undo history`, () => {
      const dir = tempDir()
      createAtVersion(path.join(dir, 'old'), from)
      createAtVersion(path.join(dir, 'fresh'), LATEST_SCHEMA_VERSION)

      const project = Project.open(path.join(dir, 'old'))
      expect(schemaVersion(project.db)).toBe(LATEST_SCHEMA_VERSION)
      const fresh = new Database(path.join(dir, 'fresh', 'project.sqlite'), { readonly: true })
      expect(schemaOf(project.db)).toEqual(schemaOf(fresh))
      fresh.close()

      expect(project.images.count()).toBe(2)
      const first = project.annotations.get(1)!
      expect(first.mask).toEqual({ size: [3, 4], counts: '52', area: 2, bbox: [1, 0, 1, 2] })
      expect(first.method).toEqual({ clicks: [[1, 2]] })
      expect(first.jobId).toBeNull()
      expect(project.references.members(1).map((a) => a.id)).toEqual([1])
      expect(project.images.annotationCounts()).toMatchObject(from >= 2 ? { accepted: 2, proposed: 0 } : { accepted: 1, proposed: 1 })
      if (from >= 2) {
        expect(project.history.undo()?.step.label).toBe('Mark 1 as accepted')
        expect(project.annotations.get(2)?.status).toBe('proposed')
      }
      expect(project.integrityCheck()).toBe('ok')
      project.close()
    })
  }

  it('create a new project straight at the latest version', () => {
    const dir = tempDir()
    const project = Project.create(path.join(dir, 'p'), { imagesRoot: dir })
    expect(schemaVersion(project.db)).toBe(LATEST_SCHEMA_VERSION)
    expect(project.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(project.db.pragma('synchronous', { simple: true })).toBe(2) // FULL
    expect(project.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(readdirSync(path.join(dir, 'p')).sort()).toEqual(['cache', 'project.lock', 'project.sqlite', 'project.sqlite-shm', 'project.sqlite-wal'])
    project.close()
  })
})

describe('opening a project file', () => {
  it('refuses a file from a newer schema version with a clear message and leaves it byte-identical', () => {
    const dir = path.join(tempDir(), 'p')
    Project.create(dir, { imagesRoot: dir }).close()
    const raw = new Database(path.join(dir, 'project.sqlite'))
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 4}`)
    raw.close()
    const file = path.join(dir, 'project.sqlite')
    const before = fileDigest(file)
    const filesBefore = readdirSync(dir).sort()

    let error: unknown
    try {
      Project.open(dir)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(NewerSchemaError)
    expect((error as Error).message).toBe(
      `${file} was written by a newer PerSAM Studio (project schema version ${LATEST_SCHEMA_VERSION + 4}; this version reads up to ${LATEST_SCHEMA_VERSION}). ` +
        'Open it with a newer PerSAM Studio; the file was not modified.',
    )
    expect(fileDigest(file)).toBe(before)
    expect(readdirSync(dir).sort()).toEqual(filesBefore)
  })

  it('also refuses a newer file left by a crash (version only in the -wal), without writing the database file', () => {
    const dir = path.join(tempDir(), 'p')
    Project.create(dir, { imagesRoot: dir }).close()
    const live = new Database(path.join(dir, 'project.sqlite'))
    live.pragma('wal_autocheckpoint = 0')
    live.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
    // Copy the files while the writer still holds them: what a crash would leave behind.
    const crashed = path.join(tempDir(), 'crashed')
    mkdirSync(crashed)
    for (const name of ['project.sqlite', 'project.sqlite-wal']) writeFileSync(path.join(crashed, name), readFileSync(path.join(dir, name)))
    live.close()
    const before = fileDigest(path.join(crashed, 'project.sqlite'))
    expect(() => Project.open(crashed)).toThrow(NewerSchemaError)
    expect(fileDigest(path.join(crashed, 'project.sqlite'))).toBe(before)
  })

  it('refuses files that are not PerSAM projects, naming the file', () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'project.sqlite'), 'this is not a database at all, just text')
    expect(() => Project.open(dir)).toThrow(/project\.sqlite is not a PerSAM Studio project: file is not a database/)
    const other = path.join(tempDir(), 'project.sqlite')
    new Database(other).exec('CREATE TABLE t(x)')
    expect(() => Project.open(path.dirname(other))).toThrow(/project\.sqlite is not a PerSAM Studio project \(SQLite application_id 0\)/)
    expect(() => Project.open(path.join(dir, 'missing'))).toThrow(/project file .*missing.project\.sqlite does not exist/)
  })

  it('refuses to create a project over an existing one', () => {
    const dir = path.join(tempDir(), 'p')
    Project.create(dir, { imagesRoot: dir }).close()
    expect(() => Project.create(dir, { imagesRoot: dir })).toThrow(/already holds a project/)
  })
})
