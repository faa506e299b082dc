package org.tlsrollout.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./tlsrollout}: runs the system locally (api.md, "Commands"). */
@Command(name = "tlsrollout", mixinStandardHelpOptions = true, version = "tlsrollout 0.1.0",
        description = "Takes a Configuration Manager estate safely to TLS 1.2.",
        footer = {"", "Also, from modules of their own (the ./tlsrollout script runs their jars):",
                "  bench <ID> [--quick]   a benchmark of docs/benchmarks.md (`bench list`)",
                "  chaos <ID> [--quick]   a reliability run of docs/benchmarks.md (`chaos list`)"},
        subcommands = {Main.Up.class, Main.Demo.class, Main.Down.class, Main.Status.class, Main.Keys.class, OperatorCommands.Waves.class, OperatorCommands.Progress.class,
                OperatorCommands.Machines.class, OperatorCommands.Inventory.class, OperatorCommands.Identity.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What the operator commands read their URLs and tokens from, and where they print. */
    final java.util.Map<String, String> env;
    final java.util.function.Supplier<StackConfig> localStack;
    final java.io.PrintStream out;
    final java.io.PrintStream err;

    Main() {
        this(System.getenv(), Main::config, System.out, System.err);
    }

    /** {@code localStack}: the stack of this checkout, asked for only when the environment names no URL. */
    Main(java.util.Map<String, String> env, java.util.function.Supplier<StackConfig> localStack,
            java.io.PrintStream out, java.io.PrintStream err) {
        this.env = env;
        this.localStack = localStack;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new Main()).execute(args));
    }

    /** The command line of {@code main}: a StackException is a message and exit code 1. */
    static CommandLine commandLine(Main main) {
        return commandLine(main, main.out, main.err);
    }

    /**
     * Runs a command of this CLI or of the modules that start the stack through it (benchmarks, chaos): a
     * StackException is a message and exit code 1, a usage error exit code 2.
     */
    public static int execute(Object command, String[] args) {
        return commandLine(command, System.out, System.err).execute(args);
    }

    private static CommandLine commandLine(Object command, java.io.PrintStream out, java.io.PrintStream err) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof StackException) {
                commandLine.getErr().println("tlsrollout: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The stack of this checkout ({@code -Dtlsrollout.root}, set by the script), configured by the environment. */
    public static StackConfig config() {
        Path root = Path.of(System.getProperty("tlsrollout.root", ".")).toAbsolutePath().normalize();
        return StackConfig.fromEnvironment(root, System.getenv());
    }

    @Command(name = "up", description = "Start Kafka and every service in the background, wait until all are ready, "
            + "print the URLs and the tokens in use. Does nothing to what already runs.")
    static final class Up implements Callable<Integer> {
        @Option(names = "--tls", description = "every service serves HTTPS only, TLS 1.3 and 1.2 only, with "
                + "certificates of a private CA made in <home>/tls (tools/make-certs.sh); remembered until a plain "
                + "`up` after `down`")
        boolean tls;

        @Override
        public Integer call() {
            StackConfig config = config();
            Stack stack = new Stack(config, System.out);
            LocalTls.choose(config, stack, tls, System.out);
            System.out.println("starting the tlsrollout stack" + (config.tls() ? ", HTTPS only (TLS 1.3 and 1.2)" : "")
                    + " (logs in " + config.logs() + ")");
            stack.up();
            printAccess(config);
            return 0;
        }
    }

    @Command(name = "demo", description = "Bring the stack up if needed, simulate an estate of real agents and drive "
            + "the whole rollout through the public API, phase by phase and wave by wave; ends with a summary. "
            + "Exit code 0 when every machine is done, 1 when something is stuck (it says what).")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--machines", defaultValue = "2000", description = "machines to simulate (default ${DEFAULT-VALUE})")
        int machines;

        @Option(names = "--sites", defaultValue = "4", description = "ConfigMgr sites (default ${DEFAULT-VALUE})")
        int sites;

        @Option(names = "--failure-rate", defaultValue = "0", description = "share of applied jobs that fail, 0 to 1 "
                + "(default ${DEFAULT-VALUE}); above the waves' maxFailureRate (5%%) a wave halts")
        double failureRate;

        @Option(names = "--seed", defaultValue = "42", description = "the estate's random seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--max-failure-rate", defaultValue = "0.05", description = "maxFailureRate of every wave "
                + "(default ${DEFAULT-VALUE})")
        double maxFailureRate;

        @Option(names = "--tls", description = "start the stack HTTPS-only, as `up --tls` (when it is not running)")
        boolean tls;

        @Override
        public Integer call() {
            if (machines < 1 || sites < 1 || sites > machines) {
                throw new StackException("--machines must be at least 1 and --sites between 1 and --machines");
            }
            if (failureRate < 0 || failureRate > 1) {
                throw new StackException("--failure-rate must be between 0 and 1");
            }
            StackConfig config = config();
            LocalTls.choose(config, new Stack(config, System.out), tls, System.out);
            return new org.tlsrollout.cli.Demo(config, new org.tlsrollout.cli.Demo.Options(machines, sites,
                    failureRate, seed, 512, 40, maxFailureRate), System.out).run();
        }
    }

    @Command(name = "down", description = "Stop what `up` started. Kafka's data and the database stay unless --wipe.")
    static final class Down implements Callable<Integer> {
        @Option(names = "--wipe", description = "also delete Kafka's data and drop the database")
        boolean wipe;

        @Override
        public Integer call() {
            new Stack(config(), System.out).down(wipe);
            System.out.println("stopped");
            return 0;
        }
    }

    @Command(name = "status", description = "Show what runs. Exit code 0 when everything is up and ready, 3 otherwise.")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            StackConfig config = config();
            boolean allReady = true;
            System.out.printf("%-20s %-8s %-8s %s%n", "COMPONENT", "PID", "STATE", "ADDRESS");
            for (Stack.Status s : new Stack(config, System.out).status()) {
                String state = !s.running() ? "stopped" : s.ready() ? "ready" : "starting";
                allReady &= s.ready();
                System.out.printf("%-20s %-8s %-8s %s%n", s.component().displayName(),
                        s.running() ? Long.toString(s.pid()) : "-", state, s.component().address(config));
            }
            return allReady ? 0 : 3;
        }
    }

    @Command(name = "keys", description = "The keys that sign fix jobs.", subcommands = {Main.Rotate.class})
    static final class Keys implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
    }

    @Command(name = "rotate", description = "Make a new job-signing key in <home>/keys, endorsed by the current one "
            + "(api.md, key rotation); the current key stays published until the jobs it signed have expired. "
            + "remediation-service signs with the new key from its next start.")
    static final class Rotate implements Callable<Integer> {
        @Option(names = "--restart", description = "restart remediation-service now (when it runs), so that it signs"
                + " with the new key")
        boolean restart;

        @Override
        public Integer call() {
            StackConfig config = config();
            Duration ttl = jobTtl(System.getenv("REMEDIATION_JOBS_TTL"));
            SigningKeys.Rotation r = SigningKeys.rotate(config, Instant.now(), ttl);
            System.out.printf("new job-signing key %s (kid %s), readable by you only%n", r.newKey(), r.newKid());
            System.out.printf("endorsed by the current key (kid %s): %s%n", r.previousKid(), r.endorsement());
            System.out.printf("%s (kid %s) is now a previous key: remediation-service keeps publishing it in its JWKS"
                    + " for the jobs it signed, valid %s at most (remediation.jobs.ttl)%n", r.previousKey(),
                    r.previousKid(), ttl.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
            Stack stack = new Stack(config, System.out);
            boolean running = stack.running(Component.REMEDIATION).isPresent();
            if (restart && running) {
                System.out.println("restarting remediation-service ...");
                stack.instances().stop(Component.REMEDIATION, 1);
                stack.up();
                System.out.printf("remediation-service signs with the new key; the previous one may be dropped after"
                        + " %s (remove it from previous-key-files in %s, then restart remediation-service)%n",
                        r.droppableAfter().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        SigningKeys.dir(config).resolve(SigningKeys.STATE));
            } else {
                System.out.printf("%s: remediation-service signs with the new key from its next start; the previous"
                        + " key may be dropped %s after that (not before %s: remove it from previous-key-files in %s,"
                        + " then restart remediation-service)%n", running
                        ? "Restart remediation-service now (./tlsrollout keys rotate --restart does it; or ./tlsrollout"
                                + " down, then up)" : "remediation-service is not running",
                        ttl.toString().substring(2).toLowerCase(java.util.Locale.ROOT),
                        r.droppableAfter().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        SigningKeys.dir(config).resolve(SigningKeys.STATE));
            }
            return 0;
        }

        static Duration jobTtl(String value) {
            if (value == null || value.isBlank()) {
                return SigningKeys.DEFAULT_JOB_TTL;
            }
            try {
                return Duration.parse(value.trim());
            } catch (java.time.format.DateTimeParseException e) {
                throw new StackException("REMEDIATION_JOBS_TTL must be an ISO-8601 duration such as PT2H, not " + value);
            }
        }
    }

    static void printAccess(StackConfig config) {
        System.out.printf("%nThe stack is up.%n");
        System.out.printf("  ui                   %s   (the operator's page: sign in with the operator token)%n", config.uiUrl());
        System.out.printf("  collector-service    %s   (agents enroll and report here)%n", config.collectorUrl());
        System.out.printf("  rules-service        %s%n", config.rulesUrl());
        System.out.printf("  remediation-service  %s   (machines, progress, waves)%n", config.remediationUrl());
        System.out.printf("  OpenAPI / Swagger UI %s/q/swagger-ui%n", config.remediationUrl());
        System.out.printf("  Kafka                %s%n", config.bootstrapServers());
        // api.md, Commands: up "prints the URLs and the tokens in use"; the file that keeps them is owner-only.
        Path tokens = config.home().resolve("tokens.env");
        System.out.printf("%nTokens (from the environment where set, else kept in %s, readable by you only; load them"
                + " with: set -a; . %s; set +a):%n", tokens, tokens);
        System.out.printf("  export %s=%s%n", Tokens.OPERATOR, config.tokens().operator());
        System.out.printf("  export %s=%s%n", Tokens.VIEWER, config.tokens().viewer());
        System.out.printf("  export %s=%s%n", Tokens.ENROLL, config.tokens().enrollSecret());
        System.out.printf("Kafka requires SASL/SCRAM-SHA-512; each service has its own principal, the passwords are in"
                + " %s (readable by you only).%n", config.kafkaCredentialsFile());
        if (config.tls()) {
            System.out.printf("%nHTTPS only (TLS 1.3 and 1.2): the services' certificate is issued by the private CA %s;"
                    + " trust it (and only it) in agents and scripts.%n", LocalTls.caFile(config));
        }
        System.out.printf("%nTry: curl%s -H \"Authorization: Bearer $%s\" %s/api/v1/progress%n",
                config.tls() ? " --cacert " + LocalTls.caFile(config) : "", Tokens.VIEWER, config.remediationUrl());
    }
}
