package kolmap;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Starts a Neo4j 5.26 Community server (the official test harness) with Bolt on a local port,
 * authentication on, and the jars in a plugin folder (GDS, APOC) loaded. It runs until killed.
 *
 * <p>Usage: {@code java -cp lib/*:plugins/* kolmap.Launcher [--persistent] DATA_DIR PORT
 * PASSWORD [PLUGIN_DIR]}
 *
 * <p>By default each start gets a fresh, empty database (the harness puts it in a new folder
 * under {@code DATA_DIR}). With {@code --persistent}, {@code DATA_DIR} is the server's home
 * (embedded {@code DatabaseManagementServiceBuilder}): its databases and transaction logs live
 * in {@code DATA_DIR/data}, so a restart on the same {@code DATA_DIR}, even after a kill -9,
 * recovers and keeps every committed transaction. The password is (re)set on every start.
 *
 * <p>It deletes {@code DATA_DIR/ready} at start and writes it once Bolt answers, so a caller
 * can wait for it.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) throws Exception {
    boolean persistent = args.length > 0 && args[0].equals("--persistent");
    if (persistent) {
      args = Arrays.copyOfRange(args, 1, args.length);
    }
    if (args.length < 3) {
      System.err.println("usage: Launcher [--persistent] DATA_DIR PORT PASSWORD [PLUGIN_DIR]");
      System.exit(2);
    }
    Path data = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    String password = args[2];
    Path plugins = args.length > 3 ? Path.of(args[3]).toAbsolutePath() : null;
    Files.createDirectories(data);
    Files.deleteIfExists(data.resolve("ready"));
    if (persistent) {
      persistent(data, port, password, plugins);
    } else {
      harness(data, port, password, plugins);
    }
    Thread.currentThread().join();
  }

  /** The test harness: a fresh database in a new folder under {@code data} on every start. */
  private static void harness(Path data, int port, String password, Path plugins)
      throws Exception {
    var builder =
        Neo4jBuilders.newInProcessBuilder(data)
            .withDisabledServer()
            .withConfig(BoltConnector.enabled, true)
            .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .withConfig(GraphDatabaseSettings.auth_enabled, true)
            .withConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*", "apoc.*"));
    if (plugins != null) {
      builder = builder.withConfig(GraphDatabaseSettings.plugin_dir, plugins);
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
  }

  /** An embedded DBMS whose home is {@code home}: the same databases on every start. */
  private static void persistent(Path home, int port, String password, Path plugins)
      throws Exception {
    var builder =
        new DatabaseManagementServiceBuilder(home)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .setConfig(GraphDatabaseSettings.auth_enabled, true)
            .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*", "apoc.*"));
    if (plugins != null) {
      builder = builder.setConfig(GraphDatabaseSettings.plugin_dir, plugins);
    }
    DatabaseManagementService dbms = builder.build();
    Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
    setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
    GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    if (!db.isAvailable(120_000)) {
      throw new IllegalStateException("the neo4j database did not become available");
    }
    waitForBolt(port);
    String uri = "bolt://127.0.0.1:" + port;
    Files.writeString(home.resolve("ready"), uri + "\npersistent " + home + "\n");
    System.out.println("kolmap neo4j (persistent, home " + home + ") ready at " + uri);
  }

  /** Set the neo4j user's password; setting the one it already has is not an error. */
  private static void setPassword(GraphDatabaseService system, String password) {
    try {
      system.executeTransactionally(
          "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
          Map.of("password", password));
    } catch (RuntimeException err) {
      String message = String.valueOf(err.getMessage());
      if (!message.contains("cannot be the same")) {
        throw err;
      }
    }
  }

  private static void waitForBolt(int port) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return;
      } catch (java.io.IOException err) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("Bolt does not answer on port " + port, err);
        }
        Thread.sleep(100);
      }
    }
  }
}
