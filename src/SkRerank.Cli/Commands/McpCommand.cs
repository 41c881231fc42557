using System.CommandLine;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using SkRerank.Cli.Composition;
using SkRerank.Cli.Mcp;

namespace SkRerank.Cli.Commands;

/// <summary>
/// <c>skrerank mcp</c>: serves <c>search_movies</c> as an MCP tool over stdio (the ModelContextProtocol SDK), for IDE
/// assistants and desktop agents. stdout carries the protocol only; progress and logs go to stderr.
/// </summary>
internal static class McpCommand
{
    public static Command Create()
    {
        var command = new Command("mcp", "Serve search_movies as an MCP tool over stdio (index first, then serve until stdin closes).");
        command.SetAction((result, cancellationToken) => CliRunner.RunAsync(result, cancellationToken, async (context, ct) =>
        {
            var settings = CliOptions.ReadSettings(result);
            settings = await Validation.Preflight.CheckAsync(settings, context, ct);
            await using var pipeline = await SearchPipeline.BuildAsync(settings, context.LoggerFactory, context.Error, ct);

            var builder = Host.CreateEmptyApplicationBuilder(settings: null);
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .SetMinimumLevel(settings.Verbose ? LogLevel.Debug : LogLevel.Warning)
                .AddFilter("Polly", settings.Verbose ? LogLevel.Debug : LogLevel.None);
            builder.Services
                .AddMcpServer(o =>
                {
                    o.ServerInfo = new Implementation
                    {
                        Name = "skrerank",
                        Title = "SkRerank movie search",
                        Version = typeof(McpCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
                    };
                    o.ServerInstructions =
                        $"search_movies searches {pipeline.Movies.Count} popular movies by meaning (vector search, then a reranker) and returns the best, " +
                        "with title, director, genres, tagline, overview and scores. Put plot, theme and mood in query; genre and director in their own arguments.";
                })
                .WithStdioServerTransport()
                .WithTools([MovieSearchMcpTool.Create(pipeline.Search)]);

            using var host = builder.Build();
            await context.Error.WriteLineAsync($"skrerank mcp: serving search_movies over stdio ({pipeline.Movies.Count} movies, {pipeline.FirstStageName}, reranker {pipeline.Reranker?.Metadata.ModelId ?? "none"}).");
            await host.RunAsync(ct);
            return 0;
        }));
        return command;
    }
}
