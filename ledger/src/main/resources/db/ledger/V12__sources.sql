-- Sources as data (docs/policies.md, "Sources"): each named MySQL/MariaDB database a policy may archive from, versioned
-- like the policies, with an append-only history. io.archiver.policy.SourceStore is their one writer. The password is
-- never stored in clear: password_kind ENV or FILE names where it is (password_ref), ENCRYPTED keeps AES-GCM ciphertext
-- (password_encrypted, key from $ARCHIVER_SOURCE_KEY) and a keyed digest that tells a change without showing it.
CREATE TABLE archive_source (
    name               VARCHAR(64)   NOT NULL,
    host               VARCHAR(255)  NOT NULL,
    port               INT           NOT NULL,
    database_name      VARCHAR(64)   NOT NULL,
    user_name          VARCHAR(80)   NOT NULL,
    tls_mode           VARCHAR(16)   NOT NULL,
    password_kind      VARCHAR(16)   NOT NULL,
    password_ref       VARCHAR(1024) NULL,
    password_encrypted VARCHAR(1024) NULL,
    password_digest    VARCHAR(32)   NULL,
    enabled            BOOLEAN       NOT NULL,
    version            INT           NOT NULL,
    updated_by         VARCHAR(128)  NOT NULL,
    updated_at_ms      BIGINT        NOT NULL,
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE archive_source_history (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    name        VARCHAR(64)   NOT NULL,
    version     INT           NOT NULL,
    change_kind VARCHAR(16)   NOT NULL,
    old_value   TEXT          NULL,
    new_value   TEXT          NOT NULL,
    actor       VARCHAR(128)  NOT NULL,
    at_ms       BIGINT        NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_archive_source_history_version (name, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The source a policy archives from; 'control' is the control database itself, so every policy so far keeps its table.
ALTER TABLE archive_policy ADD COLUMN source_name VARCHAR(64) NOT NULL DEFAULT 'control';
