package kolmap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Starts a Neo4j 5.26 Community server (the official test harness) with Bolt on a local port,
 * authentication on, and the jars in a plugin folder (GDS, APOC) loaded. It runs until killed.
 *
 * <p>Usage: {@code java -cp lib/*:plugins/* kolmap.Launcher DATA_DIR PORT PASSWORD [PLUGIN_DIR]}
 *
 * <p>It writes {@code DATA_DIR/ready} once Bolt answers, so a caller can wait for it.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: Launcher DATA_DIR PORT PASSWORD [PLUGIN_DIR]");
      System.exit(2);
    }
    Path data = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    String password = args[2];
    Files.createDirectories(data);
    Files.deleteIfExists(data.resolve("ready"));
    var builder =
        Neo4jBuilders.newInProcessBuilder(data)
            .withDisabledServer()
            .withConfig(BoltConnector.enabled, true)
            .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .withConfig(GraphDatabaseSettings.auth_enabled, true)
            .withConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*", "apoc.*"));
    if (args.length > 3) {
      builder = builder.withConfig(GraphDatabaseSettings.plugin_dir, Path.of(args[3]).toAbsolutePath());
    }
    Neo4j neo4j = builder.build();
    Runtime.getRuntime().addShutdownHook(new Thread(neo4j::close));
    neo4j
        .databaseManagementService()
        .database("system")
        .executeTransactionally(
            "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
            Map.of("password", password));
    Files.writeString(data.resolve("ready"), neo4j.boltURI().toString() + "\n");
    System.out.println("kolmap neo4j ready at " + neo4j.boltURI());
    Thread.currentThread().join();
  }
}
