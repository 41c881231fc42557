using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

using SkRerank.Tests.Support;

namespace SkRerank.Tests.Agents;

/// <summary>
/// An OpenAI-compatible <c>POST /v1/chat/completions</c> on 127.0.0.1 (random port) that answers from a script: each
/// request is recorded and handed to the next step, which returns the response body (non-streaming). Stands in for
/// Together's chat endpoint, so the real SK OpenAI connector can be tested end to end.
/// </summary>
public sealed class ScriptedChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<JsonObject, JsonObject>> _script;
    private readonly ConcurrentQueue<RecordedChatRequest> _requests = new();

    private ScriptedChatServer(WebApplication app, string root, IEnumerable<Func<JsonObject, JsonObject>> script)
    {
        _app = app;
        Root = root;
        _script = new ConcurrentQueue<Func<JsonObject, JsonObject>>(script);
    }

    /// <summary>http://127.0.0.1:PORT</summary>
    public string Root { get; }

    /// <summary>The OpenAI-style base URL, http://127.0.0.1:PORT/v1 (what TOGETHER_BASE_URL is set to).</summary>
    public string BaseUrl => Root + "/v1";

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedChatRequest> Requests => _requests.ToArray();

    /// <summary>Starts the server with one step per expected request.</summary>
    public static async Task<ScriptedChatServer> StartAsync(params Func<JsonObject, JsonObject>[] script)
    {
        ScriptedChatServer? server = null;
        var (app, root) = await LoopbackWebApp.StartAsync(context => server!.HandleAsync(context));
        server = new ScriptedChatServer(app, root, script);
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        if (context.Request.Method != "POST" || context.Request.Path != "/v1/chat/completions")
        {
            await WriteAsync(context, HttpStatusCode.NotFound, Error($"no route {context.Request.Method} {context.Request.Path}"));
            return;
        }

        var json = (JsonObject)JsonNode.Parse(body)!;
        _requests.Enqueue(new RecordedChatRequest(context.Request.Headers.Authorization.ToString(), json));
        if (!_script.TryDequeue(out var step))
        {
            await WriteAsync(context, HttpStatusCode.InternalServerError, Error($"the script has no step for request {_requests.Count}"));
            return;
        }

        JsonObject response;
        try
        {
            response = step(json);
        }
        catch (Exception ex)
        {
            // A failed expectation inside a step shows up as the client's error and in the recorded requests.
            await WriteAsync(context, HttpStatusCode.BadRequest, Error("script step failed: " + ex.Message));
            return;
        }
        await WriteAsync(context, HttpStatusCode.OK, response);
    }

    private static async Task WriteAsync(HttpContext context, HttpStatusCode status, JsonObject body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static JsonObject Error(string message) => new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error" } };

    /// <summary>The name the client gave the tool whose name ends with <paramref name="function"/> (SK prefixes the plugin name).</summary>
    public static string ToolName(JsonObject request, string function = "search_movies") =>
        request["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).Single(n => n.EndsWith(function, StringComparison.Ordinal));

    /// <summary>An assistant turn that asks for tool calls.</summary>
    public static JsonObject ToolCalls(string model, params (string Id, string Name, string Arguments)[] calls) => Completion(model, new JsonObject
    {
        ["role"] = "assistant",
        ["content"] = null,
        ["tool_calls"] = new JsonArray(calls.Select(c => (JsonNode)new JsonObject
        {
            ["id"] = c.Id,
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
        }).ToArray()),
    }, "tool_calls");

    /// <summary>An assistant turn with a final answer.</summary>
    public static JsonObject Answer(string model, string text) =>
        Completion(model, new JsonObject { ["role"] = "assistant", ["content"] = text }, "stop");

    private static JsonObject Completion(string model, JsonObject message, string finishReason) => new()
    {
        ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N")[..12],
        ["object"] = "chat.completion",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finishReason }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 },
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request the server received.</summary>
/// <param name="Authorization">The Authorization header.</param>
/// <param name="Body">The JSON body.</param>
public sealed record RecordedChatRequest(string Authorization, JsonObject Body)
{
    /// <summary>The messages with role "tool", by tool_call_id.</summary>
    public IReadOnlyDictionary<string, string> ToolResults => Body["messages"]!.AsArray()
        .Where(m => m!["role"]!.GetValue<string>() == "tool")
        .ToDictionary(m => m!["tool_call_id"]!.GetValue<string>(), m => ContentText(m!["content"]));

    private static string ContentText(JsonNode? content) => content switch
    {
        JsonValue v => v.GetValue<string>(),
        // Some clients send content parts: [{"type":"text","text":"…"}].
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        _ => "",
    };

    /// <summary>The body, indented, for failure messages.</summary>
    public override string ToString() => Body.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
