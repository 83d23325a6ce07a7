-- ClimaGuru: database and application account for MariaDB >= 10.5 / MySQL >= 8.0.
-- Creates NO tables: the schema comes only from `climaguru db upgrade` (alembic).
--
-- BEFORE RUNNING: replace CAMBIAR-ESTA-CLAVE below with the real password, the same one that
-- goes into DATABASE_URL (generate it with
--   python3 -c "import secrets; print(secrets.token_urlsafe(32))"
-- which needs no escaping in SQL, in the URL or in the systemd env file).
-- Edit a private copy (umask 077), run it as the database root, then delete the copy:
--   sudo mysql < /root/mysql-setup.sql
-- While the placeholder (or a password shorter than 16 characters) is still there, the check
-- below stops the script with an error (ERROR 1242) before any account is created.
-- Re-running is safe; it does not change the password of an existing account
-- (use ALTER USER 'climaguru'@'<host>' IDENTIFIED BY '...' for that).

SET @climaguru_password = 'CAMBIAR-ESTA-CLAVE';
-- Where the app connects from. One host: 'localhost' (see below). Two hosts over a private
-- network: the app host's private address only, e.g. '10.0.0.10' (never '%').
SET @climaguru_host = 'localhost';

-- The check: a scalar subquery that yields two rows (ERROR 1242) exactly when the password is
-- unusable; it depends on data only, so no server can constant-fold it into a false alarm.
SET @unusable = @climaguru_password = CONCAT('CAMBIAR-', 'ESTA-CLAVE')
                OR CHAR_LENGTH(@climaguru_password) < 16;
SELECT COALESCE((SELECT 'placeholder password: edit this script'
                 FROM (SELECT 1 AS n UNION ALL SELECT 2) AS two_rows WHERE @unusable), 'ok')
       AS password_check;

CREATE DATABASE IF NOT EXISTS climaguru
    CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- 'localhost' matches both the unix socket and TCP to 127.0.0.1 (DATABASE_URL's host) while
-- name resolution is on. With skip_name_resolve=ON (MariaDB's Debian default is OFF; many
-- tuned servers turn it on), use '127.0.0.1' instead, or run the script twice.
SET @create_user = CONCAT('CREATE USER IF NOT EXISTS ''climaguru''@', QUOTE(@climaguru_host),
                          ' IDENTIFIED BY ', QUOTE(@climaguru_password));
PREPARE create_user FROM @create_user;
EXECUTE create_user;
DEALLOCATE PREPARE create_user;
SET @create_user = NULL;
SET @climaguru_password = NULL;

-- What alembic migrations and the app need, on this database only: data (SELECT, INSERT,
-- UPDATE, DELETE), schema changes (CREATE, ALTER, INDEX, DROP, REFERENCES for foreign keys)
-- and the two views of the initial migration (CREATE VIEW, SHOW VIEW; SHOW VIEW also lets
-- this account run backup.sh). No FILE, PROCESS, SUPER, GRANT OPTION, LOCK TABLES, no
-- routines or triggers, nothing on other databases.
SET @grant = CONCAT('GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, ',
                    'REFERENCES, CREATE VIEW, SHOW VIEW ON climaguru.* TO ''climaguru''@',
                    QUOTE(@climaguru_host));
PREPARE grant_privileges FROM @grant;
EXECUTE grant_privileges;
DEALLOCATE PREPARE grant_privileges;
SET @grant = NULL;
