using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkRerank.Plugin;
using SkRerank.Search;

namespace SkRerank.Cli.Chat;

/// <summary>
/// A chat agent: SK's OpenAI connector against an OpenAI-compatible endpoint, with the <c>search_movies</c> plugin
/// invoked automatically (<see cref="FunctionChoiceBehavior.Auto"/>). Keeps the conversation across turns.
/// </summary>
internal sealed class ChatAgent
{
    /// <summary>Tells the model what the tool is for and to recommend only what it returned.</summary>
    public const string SystemPrompt =
        "You are a movie expert helping someone find films in a catalogue of 1000 popular movies. " +
        "Whenever the user asks for movies, call the search_movies tool (put genre and director in their own parameters), " +
        "then recommend only movies it returned: title, director and one line on why it fits. " +
        "If a tool call returns an error, correct the arguments and call it again. Be brief.";

    private readonly Kernel _kernel;
    private readonly IChatCompletionService _chat;
    private readonly ChatHistory _history = new(SystemPrompt);
    private readonly OpenAIPromptExecutionSettings _settings = new() { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

    private ChatAgent(Kernel kernel)
    {
        _kernel = kernel;
        _chat = kernel.GetRequiredService<IChatCompletionService>();
    }

    /// <summary>Creates the agent over a search service.</summary>
    /// <param name="search">The two-stage search the plugin calls.</param>
    /// <param name="endpoint">The chat model's endpoint.</param>
    /// <param name="toolLog">Where tool calls are shown (stderr in the CLI).</param>
    /// <param name="loggerFactory">For SK's logs.</param>
    public static ChatAgent Create(MovieSearchService search, ChatEndpoint endpoint, TextWriter toolLog, ILoggerFactory loggerFactory)
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(loggerFactory);
        builder.AddOpenAIChatCompletion(endpoint.Model, endpoint.BaseUrl, endpoint.ApiKey);
        builder.Plugins.AddFromObject(new MovieSearchPlugin(search), MovieSearchPlugin.PluginName);
        builder.Services.AddSingleton<IAutoFunctionInvocationFilter>(new ToolCallReporter(toolLog));
        return new ChatAgent(builder.Build());
    }

    /// <summary>Sends one user message, lets the model call tools as it likes, and returns its answer.</summary>
    public async Task<string> AskAsync(string message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        _history.AddUserMessage(message);
        // With auto-invocation the connector adds the tool calls and results to the history itself.
        var reply = await _chat.GetChatMessageContentAsync(_history, _settings, _kernel, cancellationToken).ConfigureAwait(false);
        _history.Add(reply);
        return reply.Content ?? "";
    }
}
