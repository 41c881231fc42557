using System.CommandLine;
using SkRerank.Cli;
using SkRerank.Cli.Commands;

var root = new RootCommand("skrerank: two-stage movie search (vector search, then a reranker) for Semantic Kernel agents.");
CliOptions.AddTo(root);
root.Subcommands.Add(SearchCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(ChatCommand.Create());
root.Subcommands.Add(McpCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await root.Parse(args).InvokeAsync();
