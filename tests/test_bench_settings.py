"""Each benchmark's own Neo4j keeps its audit key and checkpoints beside its store."""
from tracegraph.bench import own_settings


def test_a_bench_store_keeps_its_audit_checkpoints_beside_it():
    settings = own_settings(7711)
    assert settings.audit_checkpoint_dir.parent == settings.neo4j_home


def test_two_bench_stores_never_share_checkpoints():
    # another store's checkpoints would not match this chain and read as tampering
    assert own_settings(7711).audit_checkpoint_dir != own_settings(7712).audit_checkpoint_dir
