declare namespace Cloudflare {
  interface Env {
    /** The D1 migrations, read at config time and applied in the setup file. */
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}
