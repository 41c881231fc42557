using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using SkRerank.Plugin;
using SkRerank.Search;

namespace SkRerank.Cli.Mcp;

/// <summary>
/// <c>search_movies</c> as an MCP tool: the SK plugin's function, seen as a Microsoft.Extensions.AI
/// <see cref="AIFunction"/> (same name, description and parameter schema the chat agent sends), served by the MCP SDK.
/// </summary>
internal static class MovieSearchMcpTool
{
    /// <summary>The tool's name, as in the SK plugin.</summary>
    public const string Name = "search_movies";

    public static McpServerTool Create(MovieSearchService search)
    {
        var plugin = KernelPluginFactory.CreateFromObject(new MovieSearchPlugin(search), MovieSearchPlugin.PluginName);
        // A KernelFunction is an AIFunction; binding a kernel lets it be invoked outside SK.
        var function = plugin[Name].WithKernel(new Kernel());
        return McpServerTool.Create(new ReadableErrors(function), new McpServerToolCreateOptions
        {
            Name = Name,
            Title = "Search movies (vector search, then rerank)",
            ReadOnly = true,
            Idempotent = true,
            Destructive = false,
            OpenWorld = false,
        });
    }

    /// <summary>
    /// Passes the reasons for bad arguments (empty query, top_n out of range, unknown genre, missing argument) to the
    /// client: the MCP SDK replaces other exceptions' messages with a generic one, which a model cannot act on.
    /// </summary>
    private sealed class ReadableErrors(AIFunction inner) : DelegatingAIFunction(inner)
    {
        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            try
            {
                ToolArguments.Normalize(arguments);
                return await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ArgumentException or KernelException)
            {
                throw new McpException(ex.Message.ReplaceLineEndings(" "), ex);
            }
        }
    }
}
