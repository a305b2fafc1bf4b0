"""DynamoDB projects: metadata, notes base and note chunk overlays, saved with versions.

Items under ``USER#<id>``: ``PROJECT#<pid>`` (metadata, settings, chosen key, and
``note_chunks``, the set of overlay chunk indexes), ``NOTES#<pid>`` (the notes base, maps,
pedal, beat track) and one ``NOTECHUNK#<pid>#<index>`` per overlay (see ``note_chunks``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from boto3.dynamodb.types import Binary
from botocore.exceptions import ClientError

from keycraft.services.domain import (
    Note,
    Project,
    ProjectSummary,
    TimeSignature,
    decode_beat_track,
    decode_notes,
    decode_pedals,
    decode_tempo_changes,
    decode_time_signature_changes,
    encode_beat_track,
    encode_notes,
    encode_pedals,
    encode_tempo_changes,
    encode_time_signature_changes,
)
from keycraft.services.errors import Conflict, NotFound
from keycraft.services.note_chunks import NoteChunksEdit, must_compact, overlay
from keycraft.services.project_settings import ProjectSettings, decode_settings, encode_settings
from keycraft.services.repository.dynamodb.base import DynamoBase, dump
from keycraft.services.repository.dynamodb.keys import (
    PK,
    SK,
    iso,
    parse_iso,
    project_chunk_prefix,
    project_chunk_sk,
    project_notes_sk,
    project_sk,
    user_pk,
)

CHUNKS_ATTRIBUTE = "note_chunks"


def _project_meta_item(project: Project, version: int, note_count: int) -> dict[str, Any]:
    return {
        PK: user_pk(project.user_id),
        SK: project_sk(project.id),
        "id": project.id,
        "user_id": project.user_id,
        "title": project.title,
        "tempo_bpm": str(project.tempo_bpm),
        "time_sig_num": project.time_signature.numerator,
        "time_sig_den": project.time_signature.denominator,
        "note_count": note_count,
        "source_audio_key": project.source_audio_key,
        "version": version,
        "created_at": iso(project.created_at),
        "updated_at": iso(project.updated_at),
    }


def _project_meta_update(
    project: Project,
    expected_version: int,
    note_count: int,
    added_chunks: frozenset[int] | None = None,
) -> dict[str, Any]:
    """An ``Update`` of every metadata attribute but ``settings`` and ``key_name``, checked.

    Not a ``Put``: the settings and the chosen key, changed by ``save_project_settings`` and
    ``save_project_key`` on the same item, must survive a notes save. ``added_chunks``
    None: the overlays are gone (a new base); else these indexes join the overlay set.
    """
    item = _project_meta_item(project, expected_version + 1, note_count)
    names = {f"#f{i}": name for i, name in enumerate(item) if name not in (PK, SK)}
    values = {f":{ref[1:]}": item[name] for ref, name in names.items()}
    # dump() drops Nones: an attribute that is None now (no recording) is removed.
    sets = [f"{ref} = :{ref[1:]}" for ref, name in names.items() if item[name] is not None]
    removes = [ref for ref, name in names.items() if item[name] is None]
    names["#chunks"] = CHUNKS_ATTRIBUTE
    adds = []
    if added_chunks is None:
        removes.append("#chunks")
    elif added_chunks:
        # A number set (an empty set cannot be stored, so none is added then).
        values[":chunks"] = set(added_chunks)
        adds.append("#chunks :chunks")
    else:
        del names["#chunks"]
    values[":expected"] = expected_version
    expression = "SET " + ", ".join(sets)
    expression += " REMOVE " + ", ".join(removes) if removes else ""
    expression += " ADD " + ", ".join(adds) if adds else ""
    return {
        "Key": dump({PK: item[PK], SK: item[SK]}),
        "UpdateExpression": expression,
        "ConditionExpression": "version = :expected",
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": dump(values),
    }


def _project_content(project: Project) -> dict[str, Any]:
    # Content like the notes, so listing projects never reads the maps either.
    return {
        "tempo_changes": encode_tempo_changes(project.tempo_changes),
        "time_signature_changes": encode_time_signature_changes(project.time_signature_changes),
        "pedals": encode_pedals(project.pedals),
        "beat_track": encode_beat_track(project.beat_track),
    }


def _project_notes_item(project: Project) -> dict[str, Any]:
    return {
        PK: user_pk(project.user_id),
        SK: project_notes_sk(project.id),
        "notes": Binary(encode_notes(project.notes)),
        **_project_content(project),
    }


def _chunk_item(project: Project, index: int, notes: tuple[Note, ...]) -> dict[str, Any]:
    return {
        PK: user_pk(project.user_id),
        SK: project_chunk_sk(project.id, index),
        "chunk_index": index,
        "note_count": len(notes),
        "notes": Binary(encode_notes(notes)),
    }


def _summary_from_item(item: dict[str, Any]) -> ProjectSummary:
    return ProjectSummary(
        id=item["id"],
        user_id=item["user_id"],
        title=item["title"],
        note_count=int(item["note_count"]),
        created_at=parse_iso(item["created_at"]),
        updated_at=parse_iso(item["updated_at"]),
    )


def _stored_indexes(meta: dict[str, Any]) -> frozenset[int]:
    return frozenset(int(i) for i in meta.get(CHUNKS_ATTRIBUTE, ()))


def _project_from_items(
    meta: dict[str, Any], notes: dict[str, Any] | None, chunks: dict[int, tuple[Note, ...]]
) -> Project:
    blob = bytes(notes["notes"].value) if notes and "notes" in notes else b""
    return Project(
        id=meta["id"],
        user_id=meta["user_id"],
        title=meta["title"],
        created_at=parse_iso(meta["created_at"]),
        updated_at=parse_iso(meta["updated_at"]),
        tempo_bpm=float(meta["tempo_bpm"]),
        time_signature=TimeSignature(int(meta["time_sig_num"]), int(meta["time_sig_den"])),
        notes=overlay(decode_notes(blob), chunks),
        source_audio_key=meta.get("source_audio_key"),
        version=int(meta["version"]),
        tempo_changes=decode_tempo_changes((notes or {}).get("tempo_changes")),
        time_signature_changes=decode_time_signature_changes(
            (notes or {}).get("time_signature_changes")
        ),
        pedals=decode_pedals((notes or {}).get("pedals")),
        beat_track=decode_beat_track((notes or {}).get("beat_track")),
        settings=decode_settings(meta.get("settings")),
        key_name=meta.get("key_name"),
    )


class DynamoProjectsMixin(DynamoBase):
    """Projects under their owner's partition; every save is one conditional transaction."""

    def create_project(self, project: Project) -> Project:
        """See the port."""
        with self._calls():
            self._client.transact_write_items(
                TransactItems=[
                    self._put(
                        {
                            **_project_meta_item(project, project.version, len(project.notes)),
                            "settings": encode_settings(project.settings),
                            # dump() drops None: an estimated key has no attribute.
                            "key_name": project.key_name,
                        },
                        "attribute_not_exists(PK)",
                    ),
                    self._put(_project_notes_item(project)),
                ]
            )
        return project

    def _chunks(self, user_id: str, project_id: str) -> dict[int, tuple[Note, ...]]:
        items = self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=dump(
                {":pk": user_pk(user_id), ":prefix": project_chunk_prefix(project_id)}
            ),
            ConsistentRead=True,
        )
        return {int(i["chunk_index"]): decode_notes(bytes(i["notes"].value)) for i in items}

    def get_project(self, user_id: str, project_id: str) -> Project | None:
        """See the port: metadata, then the base and (when there are any) the overlays."""
        meta = self._get(user_pk(user_id), project_sk(project_id))
        if meta is None:
            return None
        chunks = self._chunks(user_id, project_id) if _stored_indexes(meta) else {}
        notes = self._get(user_pk(user_id), project_notes_sk(project_id))
        return _project_from_items(meta, notes, chunks)

    def list_projects(self, user_id: str) -> list[ProjectSummary]:
        """See the port."""
        items = self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=dump({":pk": user_pk(user_id), ":prefix": "PROJECT#"}),
        )
        summaries = [_summary_from_item(item) for item in items]
        return sorted(summaries, key=lambda p: p.updated_at, reverse=True)

    def _stored(self, project: Project, meta: dict[str, Any], version: int) -> Project:
        """``project`` as stored over ``meta``: its creation time, settings and key kept."""
        return replace(
            project,
            created_at=parse_iso(meta["created_at"]),
            version=version,
            settings=decode_settings(meta.get("settings")),
            key_name=meta.get("key_name"),
        )

    def _save_writes(self, project: Project, writes: list[dict[str, Any]]) -> None:
        try:
            with self._calls():
                self._client.transact_write_items(TransactItems=writes)
        except ClientError as exc:
            if self._get(user_pk(project.user_id), project_sk(project.id)) is None:
                raise NotFound(project.id) from exc
            raise Conflict(project.id) from exc

    def save_project(self, project: Project, expected_version: int) -> Project:
        """See the port: metadata (version-checked), a new base and no overlays, at once."""
        current = self._get(user_pk(project.user_id), project_sk(project.id))
        if current is None:
            raise NotFound(project.id)
        stored = self._stored(project, current, expected_version + 1)
        update = {
            "TableName": self._table,
            **_project_meta_update(stored, expected_version, len(stored.notes)),
        }
        # At most MAX_OVERLAY_CHUNKS deletes: the transaction stays under its 100 writes.
        deletes = [
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": dump(
                        {PK: user_pk(project.user_id), SK: project_chunk_sk(project.id, index)}
                    ),
                }
            }
            for index in sorted(_stored_indexes(current))
        ]
        self._save_writes(
            project, [{"Update": update}, self._put(_project_notes_item(stored)), *deletes]
        )
        return stored

    def save_project_edit(
        self, project: Project, expected_version: int, edit: NoteChunksEdit
    ) -> Project:
        """See the port: the metadata update (version-checked) and the overlays, at once.

        When the overlays would pass ``MAX_OVERLAY_CHUNKS``, they are folded into a new base
        instead (a whole-project save, under the same version check).
        """
        current = self._get(user_pk(project.user_id), project_sk(project.id))
        if current is None:
            raise NotFound(project.id)
        if must_compact(_stored_indexes(current), edit):
            return self._compact(project, expected_version, edit)
        stored = self._stored(project, current, expected_version + 1)
        update = {
            "TableName": self._table,
            **_project_meta_update(stored, expected_version, edit.note_count, edit.indexes),
        }
        writes: list[dict[str, Any]] = [{"Update": update}]
        writes += [self._put(_chunk_item(project, i, notes)) for i, notes in edit.chunks]
        if edit.content_changed:
            writes.append({"Update": self._content_update(project)})
        self._save_writes(project, writes)
        return stored

    def _content_update(self, project: Project) -> dict[str, Any]:
        """An ``Update`` of the notes item's maps, pedal and beat track (its base stays)."""
        content = _project_content(project)
        names = {f"#c{i}": name for i, name in enumerate(content)}
        return {
            "TableName": self._table,
            "Key": dump({PK: user_pk(project.user_id), SK: project_notes_sk(project.id)}),
            "UpdateExpression": "SET " + ", ".join(f"{ref} = :{ref[1:]}" for ref in names),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": dump(
                {f":{ref[1:]}": content[name] for ref, name in names.items()}
            ),
        }

    def _compact(self, project: Project, expected_version: int, edit: NoteChunksEdit) -> Project:
        """Save ``edit`` as a whole project: the stored notes with its chunks laid over them."""
        existing = self.get_project(project.user_id, project.id)
        if existing is None:
            raise NotFound(project.id)
        if existing.version != expected_version:
            raise Conflict(project.id)
        content = project if edit.content_changed else existing
        whole = replace(
            project,
            notes=overlay(existing.notes, dict(edit.chunks)),
            tempo_changes=content.tempo_changes,
            time_signature_changes=content.time_signature_changes,
            pedals=content.pedals,
            beat_track=content.beat_track,
        )
        return replace(self.save_project(whole, expected_version), notes=project.notes)

    def save_project_settings(
        self, user_id: str, project_id: str, settings: ProjectSettings
    ) -> None:
        """See the port: one conditional ``UpdateItem`` of the metadata item's ``settings``."""
        try:
            with self._calls():
                self._client.update_item(
                    TableName=self._table,
                    Key=dump({PK: user_pk(user_id), SK: project_sk(project_id)}),
                    UpdateExpression="SET #settings = :settings",
                    ConditionExpression="attribute_exists(PK)",
                    ExpressionAttributeNames={"#settings": "settings"},
                    ExpressionAttributeValues=dump({":settings": encode_settings(settings)}),
                )
        except ClientError as exc:
            raise NotFound(project_id) from exc

    def save_project_key(self, user_id: str, project_id: str, key_name: str | None) -> None:
        """See the port: a conditional ``UpdateItem`` that sets or removes ``key_name``."""
        update: dict[str, Any] = (
            {
                "UpdateExpression": "SET #key = :key",
                "ExpressionAttributeValues": dump({":key": key_name}),
            }
            if key_name is not None
            else {"UpdateExpression": "REMOVE #key"}
        )
        try:
            with self._calls():
                self._client.update_item(
                    TableName=self._table,
                    Key=dump({PK: user_pk(user_id), SK: project_sk(project_id)}),
                    ConditionExpression="attribute_exists(PK)",
                    ExpressionAttributeNames={"#key": "key_name"},
                    **update,
                )
        except ClientError as exc:
            raise NotFound(project_id) from exc

    def delete_project(self, user_id: str, project_id: str) -> None:
        """See the port."""
        chunks = [
            {PK: user_pk(user_id), SK: project_chunk_sk(project_id, index)}
            for index in self._chunks(user_id, project_id)
        ]
        self._delete_keys(
            [
                {PK: user_pk(user_id), SK: project_sk(project_id)},
                {PK: user_pk(user_id), SK: project_notes_sk(project_id)},
                *chunks,
            ]
        )
