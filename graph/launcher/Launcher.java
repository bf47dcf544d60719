// Runs an embedded Neo4j Community DBMS with Bolt on loopback, until SIGTERM.
// Args: <home> <boltPort> <pagecache bytes>. The neo4j password comes from the
// environment (TRACEGRAPH_NEO4J_PASSWORD) so it never shows in `ps`.
//
// Offline import without a second JVM (graph/launcher.py import_in_place): when
// <home>/import.request appears (neo4j-admin arguments, one per line), the DBMS shuts
// down, `neo4j-admin` runs here, its exit code and output go to <home>/import.result,
// and the DBMS starts again (READY once more). <home>/launcher.admin holds the pid of
// a launcher that does this.
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;

public class Launcher {
    private static DatabaseManagementService dbms;  // guarded by Launcher.class

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pagecache = Long.parseLong(args[2]);
        String password = System.getenv().getOrDefault("TRACEGRAPH_NEO4J_PASSWORD", "tracegraph");
        Path request = home.resolve("import.request");
        Files.deleteIfExists(request);  // left by a launcher that died before reading it

        start(home, port, pagecache, password);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (Launcher.class) {
                if (dbms != null) dbms.shutdown();
            }
            System.out.println("STOPPED");
        }));
        Files.writeString(home.resolve("launcher.admin"), Long.toString(ProcessHandle.current().pid()));
        while (true) {
            if (Files.exists(request)) {
                List<String> arguments = Files.readAllLines(request, StandardCharsets.UTF_8);
                Files.delete(request);
                synchronized (Launcher.class) {
                    dbms.shutdown();
                    dbms = null;
                }
                System.out.println("IMPORTING");
                System.out.flush();
                String result = runAdmin(home, arguments);
                Path done = home.resolve("import.result.tmp");
                Files.writeString(done, result, StandardCharsets.UTF_8);
                Files.move(done, home.resolve("import.result"), StandardCopyOption.ATOMIC_MOVE);
                start(home, port, pagecache, null);  // the import wrote no users: the password stands
            }
            Thread.sleep(100);
        }
    }

    private static String runAdmin(Path home, List<String> arguments) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            try {
                Path conf = home.resolve("admin-conf");  // empty: defaults, data under <home>/data
                Files.createDirectories(conf);
                code = AdminTool.execute(new ExecutionContext(home, conf, out, out, new DefaultFileSystemAbstraction()),
                                         arguments.toArray(new String[0]));
            } catch (Throwable e) {
                e.printStackTrace(out);
                code = 1;
            }
        }
        return code + "\n" + buffer.toString(StandardCharsets.UTF_8);
    }

    private static void start(Path home, int port, long pagecache, String password) {
        DatabaseManagementService started = new DatabaseManagementServiceBuilder(home)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .setConfig(GraphDatabaseSettings.auth_enabled, true)
            .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache)
            // Keep only recent transaction logs: this is a local service, backups are separate.
            .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
            // Bolt's event loops otherwise idle 5 s before a shutdown completes: a stop waits on nothing.
            .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
            .build();
        synchronized (Launcher.class) {
            dbms = started;
        }
        try {
            // The embedded API bypasses auth; set the password the clients will use.
            if (password != null) {
                started.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
            }
        } catch (RuntimeException e) {
            // Same password as before: nothing to change.
            if (!String.valueOf(e.getMessage()).contains("same")) throw e;
        }
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
    }
}
