using System.CommandLine;
using SkRerank.Cli;
using SkRerank.Cli.Commands;
using SkRerank.Cli.Output;

var root = new RootCommand("skrerank: two-stage movie search (vector search, then a reranker) for Semantic Kernel agents.");
CliOptions.AddTo(root);
root.Subcommands.Add(SearchCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(ChatCommand.Create());
root.Subcommands.Add(McpCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
var parsed = root.Parse(args);
// A mistyped command line gets its errors and a pointer to --help on stderr, exit 1: stdout stays for results
// (a script reading --json must not get the help text instead).
if (parsed.Errors.Count > 0) return ParseErrors.Report(parsed, Console.Error);

using var termination = new TerminationSignals();
// OTEL_EXPORTER_OTLP_ENDPOINT set: spans and metrics go to that collector (e.g. the Aspire dashboard); flushed on exit.
using var otlp = SkRerank.Cli.Telemetry.OtlpExport.StartFromEnvironment();
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, termination.Token);
