using System.CommandLine;
using Microsoft.SemanticKernel;
using SkRerank.Cli.Chat;
using SkRerank.Cli.Composition;

namespace SkRerank.Cli.Commands;

/// <summary>
/// <c>skrerank chat</c>: a chat agent (SK's OpenAI connector on Together's OpenAI-compatible endpoint) that searches the
/// movies with the <c>search_movies</c> tool. Interactive by default; <c>--message</c> answers once.
/// </summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--chat-model")
        {
            Description = $"Chat model at the OpenAI-compatible endpoint (default {ChatEndpoint.DefaultModel}). The endpoint is $TOGETHER_BASE_URL (default https://api.together.xyz/v1), the key $TOGETHER_API_KEY.",
        };
        var message = new Option<string?>("--message", "-m") { Description = "Answer this one message and exit (for scripts); without it, chat interactively." };

        var command = new Command("chat", "Chat with an agent that finds movies with the search_movies tool (tool calls are shown on stderr).")
        {
            model, message,
        };
        command.SetAction((result, cancellationToken) => CliRunner.RunAsync(result, cancellationToken, async (context, ct) =>
        {
            var settings = CliOptions.ReadSettings(result);
            // Check the chat endpoint before indexing, so a missing key fails in milliseconds.
            var endpoint = ChatEndpoint.FromEnvironment(result.GetValue(model));
            var once = result.GetValue(message);
            if (once is not null && string.IsNullOrWhiteSpace(once)) throw new CliException("--message must not be empty.");

            settings = await Validation.Preflight.CheckAsync(settings, context, ct);
            await using var pipeline = await SearchPipeline.BuildAsync(settings, context.LoggerFactory, context.Error, ct);
            var agent = ChatAgent.Create(pipeline.Search, endpoint, context.Error, context.LoggerFactory);

            if (once is not null)
            {
                await context.Output.WriteLineAsync(await AskAsync(agent, endpoint, once, ct));
                return 0;
            }

            var reranker = pipeline.Reranker?.Metadata.ModelId ?? "no reranker";
            await context.Error.WriteLineAsync(
                $"Chatting with {endpoint.Model} at {endpoint.BaseUrl}; search_movies searches {pipeline.Movies.Count} movies ({pipeline.FirstStageName}, then {reranker}). 'exit' or Ctrl+D quits.");
            while (true)
            {
                await context.Error.WriteAsync("you> ");
                await context.Error.FlushAsync(ct);
                var line = await Console.In.ReadLineAsync(ct);
                if (line is null || line.Trim() is "exit" or "quit") break;
                if (string.IsNullOrWhiteSpace(line)) continue;
                try
                {
                    await context.Output.WriteLineAsync(await AskAsync(agent, endpoint, line, ct));
                }
                catch (CliException ex)
                {
                    // One failed turn (e.g. a 429) does not end the conversation.
                    await context.Error.WriteLineAsync($"error: {ex.Message}");
                }
            }
            return 0;
        }));
        return command;
    }

    private static async Task<string> AskAsync(ChatAgent agent, ChatEndpoint endpoint, string message, CancellationToken cancellationToken)
    {
        try
        {
            return await agent.AskAsync(message, cancellationToken);
        }
        catch (HttpOperationException ex)
        {
            var status = ex.StatusCode is { } code ? $"HTTP {(int)code}" : "no response";
            var reason = ex.Message.Split('\n', 2)[0].Trim();
            throw new CliException($"the chat endpoint {endpoint.BaseUrl} failed ({status}): {reason}", ex);
        }
    }
}
