// The usage text of the `herald` command line.

export const usage = `usage: herald <command>

commands:
  serve                  run the web server (what npm start does)
  migrate                apply pending database migrations
  token create <name>    create an API token and print it (shown once, stored hashed)
  token list             list API tokens with when they were created and last used
  token revoke <name>    delete an API token
  user add <name> --role admin|editor
                         add a user of the admin UI; the password is read from standard
                         input when it is piped, else asked for twice without echo
  user passwd <name>     set a new password (same input) and sign the user out everywhere
  user remove <name>     remove a user (never the last admin)
  user list              list users with their role and when they were created
  setup-link             print a new one-time link to create the first admin, valid for
                         1 hour (while there is no user; the last link stops working)
  demo [--force]         load the TM202916 example into the database
                         (--force: replace the incidents and components already there)
  export <dir>           write the public site into a folder as static files (pages, feeds,
                         API v2, badges, assets), rewriting only what changed
  backup <file> [--force]
                         copy the database into a file while Herald serves, and check the
                         copy (--force: replace the file if it exists)
  restore <file>         replace the database with a backup (the server stopped), keeping
                         the replaced one beside it as <database>.replaced-<time>, then migrate
  monitors apply <file.yaml> [--dry-run] [--prune]
                         create or update the monitors the file lists, matched by name, and
                         print what changed (--dry-run: change nothing; --prune: remove the
                         monitors the file does not list); a new heartbeat's URL is printed once
  monitors export        print every monitor as a file that monitors apply takes back
  monitors list          list monitors with their state and last run
  version                print Herald's version (also --version)
  help                   show this text

Settings come from the environment (HOST, PORT, DATABASE_PATH, PUBLIC_URL, SITE_NAME,
INCIDENT_PREFIX, MAINTENANCE_PREFIX, LOG_LEVEL, CACHE_MAX_AGE, CACHE_STALE, EXPORT_DIR, and those
of the social channels); see the README.`
