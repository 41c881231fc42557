using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace SkRerank.Tests.Support;

/// <summary>
/// An OpenAI-compatible <c>POST /v1/chat/completions</c> endpoint on 127.0.0.1 whose answer a test scripts from the
/// request (messages, tools). Replies follow the wire format (id, object, created, model, choices[].message,
/// finish_reason, usage), so SK's real OpenAI connector can talk to it.
/// </summary>
public sealed class ScriptedChatServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<JsonObject, string> _reply;
    private readonly Task _loop;
    private readonly List<JsonObject> _requests = [];

    private ScriptedChatServer(Func<JsonObject, string> reply)
    {
        _reply = reply;
        var port = LoopbackFileServer.FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/v1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public IReadOnlyList<JsonObject> Requests { get { lock (_requests) return _requests.ToList(); } }

    /// <summary>Starts a server answering each request with the assistant text <paramref name="reply"/> returns.</summary>
    public static ScriptedChatServer Start(Func<JsonObject, string> reply) => new(reply);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            using var reader = new StreamReader(context.Request.InputStream);
            var request = (JsonObject)JsonNode.Parse(await reader.ReadToEndAsync())!;
            lock (_requests) _requests.Add(request);
            var body = new JsonObject
            {
                ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N"),
                ["object"] = "chat.completion",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["model"] = request["model"]?.GetValue<string>() ?? "scripted",
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = _reply(request) },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 10, ["total_tokens"] = 20 },
            };
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    /// <summary>
    /// Grades each "[n] text" line of the last user message by how many query words it contains — a stand-in for
    /// an LLM judge, in the pointwise JSON the chat reranker asks for.
    /// </summary>
    public static string GradeByWordOverlap(JsonObject request, string query)
    {
        var user = request["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.ToString();
        var words = query.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var grades = new JsonArray();
        foreach (var line in user.Split('\n'))
        {
            var match = System.Text.RegularExpressions.Regex.Match(line, @"^\[(\d+)\]\s*(.*)$");
            if (!match.Success) continue;
            var text = match.Groups[2].Value.ToLowerInvariant();
            grades.Add(new JsonObject { ["index"] = int.Parse(match.Groups[1].Value), ["grade"] = Math.Min(3, words.Count(text.Contains)) });
        }
        return "```json\n" + new JsonObject { ["grades"] = grades }.ToJsonString() + "\n```";
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
