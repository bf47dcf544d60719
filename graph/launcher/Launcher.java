// Runs an embedded Neo4j Community DBMS with Bolt on loopback, until SIGTERM.
// Args: <home> <boltPort> <pagecache bytes>. The neo4j password comes from the
// environment (TRACEGRAPH_NEO4J_PASSWORD) so it never shows in `ps`.
import java.nio.file.Path;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public class Launcher {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pagecache = Long.parseLong(args[2]);
        String password = System.getenv().getOrDefault("TRACEGRAPH_NEO4J_PASSWORD", "tracegraph");

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .setConfig(GraphDatabaseSettings.auth_enabled, true)
            .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache)
            // Keep only recent transaction logs: this is a local service, backups are separate.
            .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
            .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            System.out.println("STOPPED");
        }));
        try {
            // The embedded API bypasses auth; set the password the clients will use.
            dbms.database("system").executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
        } catch (RuntimeException e) {
            // Same password as before: nothing to change.
            if (!String.valueOf(e.getMessage()).contains("same")) throw e;
        }
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
