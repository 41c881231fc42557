using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

using SkRerank.Tests.Support;

namespace SkRerank.Tests.Together;

/// <summary>
/// A local stand-in for Together's <c>/v1/embeddings</c> and <c>/v1/rerank</c> on 127.0.0.1 (random port), checking
/// requests as the real service does (bearer key, required fields, known models, top_n bounds) and answering in its
/// wire format, with deterministic embeddings (hashed bag of words, L2-normalised) and scores (query word overlap).
/// Faults can be queued for the next requests, and every request is recorded. Also serves text-embeddings-inference's
/// <c>/rerank</c> shape under <see cref="TeiBaseUrl"/>.
/// </summary>
public sealed partial class FakeTogetherServer : IAsyncDisposable
{
    /// <summary>The key the server accepts unless told otherwise.</summary>
    public const string DefaultApiKey = "fake-together-key-0123456789";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeFault> _faults = new();
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly object _faultLock = new();
    // Each text's vector, pre-encoded as JSON, so the fake's own CPU time does not swamp benchmark measurements.
    private readonly ConcurrentDictionary<(string Text, int Dimensions), byte[]> _encodedVectors = new();
    private int _inFlight;
    private int _peakConcurrency;

    private FakeTogetherServer(WebApplication app, string root, string apiKey)
    {
        _app = app;
        Root = root;
        ApiKey = apiKey;
    }

    /// <summary>http://127.0.0.1:PORT</summary>
    public string Root { get; }

    /// <summary>Together-style base URL, http://127.0.0.1:PORT/v1.</summary>
    public string BaseUrl => Root + "/v1";

    /// <summary>Base URL of the text-embeddings-inference flavour (POST {TeiBaseUrl}/rerank).</summary>
    public string TeiBaseUrl => Root + "/tei";

    /// <summary>The bearer key the server accepts.</summary>
    public string ApiKey { get; }

    /// <summary>The embedding models Together serves serverless today (2026): only e5-large-instruct, plus the tests' tiny one.</summary>
    public static readonly IReadOnlyDictionary<string, int> ServerlessEmbeddingModels = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["intfloat/multilingual-e5-large-instruct"] = 1024,
        ["test/tiny-embed"] = 16,
    };

    /// <summary>
    /// Models Together lists but serves only on a dedicated endpoint: asking for one without a running endpoint gets
    /// Together's 400 <c>model_not_available</c> "Unable to access non-serverless model …". Rerank models map to whether
    /// they accept object documents with <c>rank_fields</c> (only Llama-Rank, under either spelling).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, bool> DedicatedOnlyRerankModels = new Dictionary<string, bool>(StringComparer.Ordinal)
    {
        ["Salesforce/Llama-Rank-V1"] = true,
        ["Salesforce/Llama-Rank-v1"] = true,
        ["mixedbread-ai/Mxbai-Rerank-Large-V2"] = false,
    };

    /// <summary>Embedding models that need a dedicated endpoint today (bge-base left the serverless list).</summary>
    public static readonly IReadOnlyDictionary<string, int> DedicatedOnlyEmbeddingModels = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["BAAI/bge-base-en-v1.5"] = 768,
    };

    /// <summary>Embedding models served to this key, with their vector sizes: the serverless ones plus running dedicated endpoints.</summary>
    public ConcurrentDictionary<string, int> EmbeddingModels { get; } = new(ServerlessEmbeddingModels, StringComparer.Ordinal);

    /// <summary>
    /// Rerank models served to this key (Together has no serverless rerank models, so each is a running dedicated
    /// endpoint), mapped to whether the endpoint accepts object documents; string-only endpoints answer 400 to objects.
    /// </summary>
    public ConcurrentDictionary<string, bool> RerankModels { get; } = new(StringComparer.Ordinal)
    {
        ["test/tiny-rerank"] = false,
    };

    /// <summary>Starts a dedicated endpoint for <paramref name="model"/> on this key (a known rerank or embedding model).</summary>
    public FakeTogetherServer StartDedicatedEndpoint(string model)
    {
        if (DedicatedOnlyRerankModels.TryGetValue(model, out var objects)) RerankModels[model] = objects;
        else if (DedicatedOnlyEmbeddingModels.TryGetValue(model, out var dimensions)) EmbeddingModels[model] = dimensions;
        else throw new ArgumentException($"The fake knows no dedicated-only model '{model}'.", nameof(model));
        return this;
    }

    /// <summary>Added to every request before it is answered.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Requests received, in arrival order.</summary>
    public IReadOnlyList<FakeRequest> Requests => _requests.ToArray();

    /// <summary>How many requests arrived.</summary>
    public int RequestCount => _requests.Count;

    /// <summary>The most requests that were being handled at the same time.</summary>
    public int PeakConcurrency => Volatile.Read(ref _peakConcurrency);

    /// <summary>Starts a server on a free port.</summary>
    /// <param name="apiKey">The key to accept.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <remarks>
    /// By default the key has dedicated endpoints running for the cookbook's models (Llama-Rank under both spellings,
    /// Mxbai and bge-base), so tests of the wire format need no setup; <paramref name="serverlessOnly"/> gives what a
    /// plain key sees today: e5-large-instruct embeddings and no rerank model at all.
    /// </remarks>
    /// <param name="serverlessOnly">Serve only Together's serverless models (no dedicated endpoints).</param>
    public static async Task<FakeTogetherServer> StartAsync(string apiKey = DefaultApiKey, bool serverlessOnly = false, CancellationToken cancellationToken = default)
    {
        FakeTogetherServer? server = null;
        var (app, root) = await LoopbackWebApp.StartAsync(context => server!.HandleAsync(context), cancellationToken);
        server = new FakeTogetherServer(app, root, apiKey);
        if (!serverlessOnly)
        {
            foreach (var model in DedicatedOnlyRerankModels.Keys.Concat(DedicatedOnlyEmbeddingModels.Keys)) server.StartDedicatedEndpoint(model);
        }

        return server;
    }

    /// <summary>Queues <paramref name="fault"/> for the next <paramref name="times"/> matching requests.</summary>
    public void Enqueue(FakeFault fault, int times = 1)
    {
        for (var i = 0; i < times; i++) _faults.Enqueue(fault);
    }

    /// <summary>Forgets recorded requests and the concurrency peak.</summary>
    public void ResetRecording()
    {
        _requests.Clear();
        Volatile.Write(ref _peakConcurrency, 0);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The server's embedding of <paramref name="text"/>: hashed bag of words, L2-normalised, so cosine similarity tracks shared words.</summary>
    public static float[] Embed(string text, int dimensions)
    {
        var vector = new float[dimensions];
        foreach (var word in Words(text))
        {
            var hash = Fnv1a(word);
            vector[(int)(hash % (uint)dimensions)] += ((hash >> 24) & 1) == 0 ? 1f : -1f;
        }

        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        if (norm == 0)
        {
            vector[0] = 1;
            return vector;
        }

        for (var i = 0; i < vector.Length; i++) vector[i] /= norm;
        return vector;
    }

    /// <summary>The server's relevance score: the share of distinct query words found in the document.</summary>
    public static double Score(string query, string document)
    {
        var queryWords = Words(query).ToHashSet();
        if (queryWords.Count == 0) return 0;
        var documentWords = Words(document).ToHashSet();
        return (double)queryWords.Count(documentWords.Contains) / queryWords.Count;
    }

    private static IEnumerable<string> Words(string text) => WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value);

    [GeneratedRegex("[a-z0-9]+")]
    private static partial Regex WordPattern();

    private static uint Fnv1a(string word)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(word))
        {
            hash ^= b;
            hash *= 16777619u;
        }

        return hash;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        UpdatePeak(inFlight);
        try
        {
            await HandleCoreAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (timeout or cancellation); nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void UpdatePeak(int value)
    {
        int peak;
        while (value > (peak = Volatile.Read(ref _peakConcurrency)) && Interlocked.CompareExchange(ref _peakConcurrency, value, peak) != peak)
        {
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(aborted);
        var path = context.Request.Path.Value ?? "";
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
        }

        var endpoint = path switch
        {
            "/v1/embeddings" => "embeddings",
            "/v1/rerank" => "rerank",
            "/tei/rerank" => "tei-rerank",
            _ => "unknown",
        };
        var inputCount = endpoint switch
        {
            "embeddings" => (json?["input"] as JsonArray)?.Count ?? (json?["input"] is JsonValue ? 1 : 0),
            "rerank" => (json?["documents"] as JsonArray)?.Count ?? 0,
            "tei-rerank" => (json?["texts"] as JsonArray)?.Count ?? 0,
            _ => 0,
        };
        _requests.Enqueue(new FakeRequest(
            endpoint,
            context.Request.Method,
            context.Request.Headers.Authorization.ToString(),
            context.Request.ContentType,
            body,
            json?["model"]?.GetValue<string>(),
            inputCount,
            DateTimeOffset.UtcNow));

        if (Latency > TimeSpan.Zero) await Task.Delay(Latency, aborted);

        var fault = TakeFault(endpoint);
        if (fault is not null && await WriteFaultAsync(context, fault, aborted)) return;

        if (!string.Equals(context.Request.Method, "POST", StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, 405, "Method not allowed.", "invalid_request_error", null, null);
            return;
        }

        if (endpoint == "unknown")
        {
            await WriteErrorAsync(context, 404, $"Unknown path {path}.", "invalid_request_error", null, null);
            return;
        }

        if (endpoint != "tei-rerank" && context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
        {
            var message = "Invalid API key provided. You can find your API key at https://api.together.xyz/settings/api-keys.";
            if (fault?.Kind == FakeFaultKind.EchoAuthorizationOn401)
            {
                message += $" Received: '{context.Request.Headers.Authorization}'.";
            }

            await WriteErrorAsync(context, 401, message, "invalid_request_error", null, "invalid_api_key");
            return;
        }

        if (json is null)
        {
            await WriteErrorAsync(context, 400, "Request body must be a JSON object.", "invalid_request_error", null, null);
            return;
        }

        var result = endpoint switch
        {
            "embeddings" => Embeddings(json, fault),
            "rerank" => Rerank(json, fault),
            _ => TeiRerank(json, fault),
        };
        await WriteAsync(context, result.Status, result.Body);
    }

    private FakeFault? TakeFault(string endpoint)
    {
        lock (_faultLock)
        {
            if (!_faults.TryPeek(out var next) || (next.Endpoint is not null && next.Endpoint != endpoint)) return null;
            _faults.TryDequeue(out var fault);
            return fault;
        }
    }

    /// <summary>Writes transport-level faults; returns false for faults that shape an otherwise normal answer.</summary>
    private static async Task<bool> WriteFaultAsync(HttpContext context, FakeFault fault, CancellationToken aborted)
    {
        switch (fault.Kind)
        {
            case FakeFaultKind.Status:
                if (fault.RetryAfter is not null) context.Response.Headers["retry-after"] = fault.RetryAfter;
                if (fault.RetryAfterMs is not null) context.Response.Headers["retry-after-ms"] = fault.RetryAfterMs;
                await WriteErrorAsync(context, fault.StatusCode, fault.Message ?? "Injected failure.", fault.Type ?? "server_error", fault.Param, fault.Code);
                return true;
            case FakeFaultKind.Slow:
                await Task.Delay(fault.Delay, aborted);
                return false;
            case FakeFaultKind.MalformedJson:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"embedding\":[0.1,", aborted);
                return true;
            case FakeFaultKind.HtmlBody:
                context.Response.StatusCode = fault.StatusCode;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>502 Bad Gateway</body></html>", aborted);
                return true;
            default:
                return false;
        }
    }

    private (int Status, object Body) Embeddings(JsonObject json, FakeFault? fault)
    {
        var model = json["model"]?.GetValue<string>();
        if (string.IsNullOrEmpty(model)) return Error(400, "Field 'model' is required.", "model");
        if (!EmbeddingModels.TryGetValue(model, out var dimensions))
        {
            return RerankModels.ContainsKey(model)
                ? Error(400, $"Model {model} is not available for embeddings: it is a rerank model.", null, "model_not_available")
                : UnavailableModel(model);
        }

        var inputs = json["input"] switch
        {
            JsonArray array => array.Select(n => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null).ToList(),
            JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
            _ => null,
        };
        if (inputs is null) return Error(400, "Field 'input' is required and must be a string or a list of strings.", "input");
        if (inputs.Count == 0) return Error(400, "Field 'input' must not be empty.", "input");
        if (inputs.Any(i => i is null)) return Error(400, "Every item of 'input' must be a string.", "input");

        var items = inputs.Select((text, index) => (Index: index, Vector: EncodedVector(text!, dimensions))).ToList();
        switch (fault?.Kind)
        {
            case FakeFaultKind.WrongCount:
                items.RemoveAt(items.Count - 1);
                break;
            case FakeFaultKind.WrongDimension:
                items[^1] = (items[^1].Index, JsonSerializer.SerializeToUtf8Bytes(Embed(inputs[^1]!, dimensions)[..^1]));
                break;
            case FakeFaultKind.IndexOutOfRange:
                items[^1] = (items.Count + 5, items[^1].Vector);
                break;
            case FakeFaultKind.DuplicateIndex when items.Count > 1:
                items[^1] = (0, items[^1].Vector);
                break;
            case FakeFaultKind.ShuffledOrder:
                items.Reverse();
                break;
        }

        // Written with Utf8JsonWriter, not JsonNode: a node per float made the fake, not the client, dominate the benchmark.
        var extra = fault?.Kind == FakeFaultKind.ExtraFields;
        var tokens = inputs.Sum(i => Words(i!).Count());
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(items.Sum(i => i.Vector.Length + 64) + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteString("model", model);
            if (extra)
            {
                writer.WriteString("id", "emb-" + Guid.NewGuid().ToString("N"));
                writer.WriteStartObject("x_debug");
                writer.WriteNumber("shard", 3);
                writer.WriteEndObject();
            }

            writer.WriteStartArray("data");
            foreach (var (index, vector) in items)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WritePropertyName("embedding");
                writer.WriteRawValue(vector, skipInputValidation: true);
                writer.WriteNumber("index", index);
                if (extra)
                {
                    writer.WriteStartObject("x_extra");
                    writer.WriteString("note", "ignored");
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", tokens);
            writer.WriteNumber("total_tokens", tokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return (200, new RawJson(buffer.WrittenMemory));
    }

    private byte[] EncodedVector(string text, int dimensions) =>
        _encodedVectors.GetOrAdd((text, dimensions), key => JsonSerializer.SerializeToUtf8Bytes(Embed(key.Text, key.Dimensions)));

    private (int Status, object Body) Rerank(JsonObject json, FakeFault? fault)
    {
        var model = json["model"]?.GetValue<string>();
        if (string.IsNullOrEmpty(model)) return Error(400, "Field 'model' is required.", "model");
        if (!RerankModels.ContainsKey(model))
        {
            return EmbeddingModels.ContainsKey(model)
                ? Error(400, $"Model {model} is not available for rerank: it is an embedding model.", null, "model_not_available")
                : UnavailableModel(model);
        }

        if (json["query"] is not JsonValue queryNode || queryNode.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(queryNode.GetValue<string>()))
        {
            return Error(400, "Field 'query' is required and must be a non-empty string.", "query");
        }

        if (json["documents"] is not JsonArray documents || documents.Count == 0)
        {
            return Error(400, "Field 'documents' is required and must be a non-empty list.", "documents");
        }

        var rankFields = (json["rank_fields"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToList();
        var texts = new List<string>(documents.Count);
        foreach (var document in documents)
        {
            switch (document)
            {
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    texts.Add(v.GetValue<string>());
                    break;
                case JsonObject when !RerankModels[model]:
                    // Only Llama-Rank reads objects; every other rerank endpoint validates documents as strings.
                    return Error(400, "Input should be a valid string: this model's documents must be a list of strings (rank_fields is supported by Salesforce/Llama-Rank-V1 only).", "documents");
                case JsonObject o:
                    var fields = rankFields ?? o.Select(p => p.Key).ToList();
                    var missing = fields.FirstOrDefault(f => o[f] is null);
                    if (missing is not null) return Error(400, $"Document is missing rank field '{missing}'.", "rank_fields");
                    texts.Add(string.Join("\n", fields.Select(f => o[f]!.GetValue<string>())));
                    break;
                default:
                    return Error(400, "Each document must be a string or an object.", "documents");
            }
        }

        int? topN = null;
        if (json["top_n"] is JsonNode topNode)
        {
            if (topNode.GetValueKind() != JsonValueKind.Number) return Error(400, "top_n must be an integer.", "top_n");
            topN = topNode.GetValue<int>();
            if (topN < 1 || topN > texts.Count) return Error(400, $"top_n must be between 1 and the number of documents ({texts.Count}).", "top_n");
        }

        var query = queryNode.GetValue<string>();
        var ranked = texts
            .Select((text, index) => (Index: index, Score: Score(query, text)))
            .OrderByDescending(r => r.Score).ThenBy(r => r.Index)
            .Take(topN ?? texts.Count)
            .ToList();
        switch (fault?.Kind)
        {
            case FakeFaultKind.WrongCount:
                ranked.RemoveAt(ranked.Count - 1);
                break;
            case FakeFaultKind.IndexOutOfRange:
                ranked[^1] = (texts.Count, ranked[^1].Score);
                break;
            case FakeFaultKind.DuplicateIndex when ranked.Count > 1:
                ranked[^1] = (ranked[0].Index, ranked[^1].Score);
                break;
            case FakeFaultKind.ShuffledOrder:
                ranked.Reverse();
                break;
        }

        var returnDocuments = json["return_documents"]?.GetValue<bool>() == true;
        var body = new JsonObject
        {
            ["object"] = "rerank",
            ["id"] = "rr-" + Guid.NewGuid().ToString("N"),
            ["model"] = model,
            ["results"] = new JsonArray(ranked.Select(r =>
            {
                var item = new JsonObject { ["index"] = r.Index, ["relevance_score"] = r.Score };
                if (returnDocuments && r.Index < texts.Count) item["document"] = new JsonObject { ["text"] = texts[r.Index] };
                return (JsonNode?)item;
            }).ToArray()),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 0, ["completion_tokens"] = 0, ["total_tokens"] = 0 },
        };
        return (200, body);
    }

    private static (int Status, object Body) TeiRerank(JsonObject json, FakeFault? fault)
    {
        if (json["query"]?.GetValue<string>() is not { Length: > 0 } query) return (422, new JsonObject { ["error"] = "query is required", ["error_type"] = "Validation" });
        if (json["texts"] is not JsonArray texts || texts.Count == 0) return (422, new JsonObject { ["error"] = "`texts` cannot be empty", ["error_type"] = "Validation" });
        var ranked = texts.Select((t, i) => (Index: i, Score: Score(query, t!.GetValue<string>())))
            .OrderByDescending(r => r.Score).ThenBy(r => r.Index).ToList();
        if (fault?.Kind == FakeFaultKind.WrongCount) ranked.RemoveAt(ranked.Count - 1);
        return (200, new JsonArray(ranked.Select(r => (JsonNode?)new JsonObject { ["index"] = r.Index, ["score"] = r.Score }).ToArray()));
    }

    // Together's documented answers: 400 model_not_available for a listed model without a running dedicated endpoint,
    // 404 model_not_found for a name it does not know.
    private static (int Status, object Body) UnavailableModel(string model) =>
        DedicatedOnlyRerankModels.ContainsKey(model) || DedicatedOnlyEmbeddingModels.ContainsKey(model)
            ? Error(400, $"Unable to access non-serverless model {model}. Please visit https://api.together.ai/models/{model} to create and start a new dedicated endpoint for the model.", null, "model_not_available")
            : Error(404, $"Unable to access model {model}. Please visit https://api.together.ai/models to view the list of supported models.", null, "model_not_found");

    private static (int Status, object Body) Error(int status, string message, string? param, string? code = null) =>
        (status, ErrorBody(message, "invalid_request_error", param, code));

    private static JsonObject ErrorBody(string message, string type, string? param, string? code) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
    };

    private static Task WriteErrorAsync(HttpContext context, int status, string message, string type, string? param, string? code) =>
        WriteAsync(context, status, ErrorBody(message, type, param, code));

    private static async Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = body is RawJson raw ? raw.Utf8 : Encoding.UTF8.GetBytes(((JsonNode)body).ToJsonString());
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private sealed record RawJson(ReadOnlyMemory<byte> Utf8);
}

/// <summary>One request the fake server received.</summary>
/// <param name="Endpoint">"embeddings", "rerank", "tei-rerank" or "unknown".</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Authorization">The Authorization header as sent.</param>
/// <param name="ContentType">The Content-Type header.</param>
/// <param name="Body">The raw body.</param>
/// <param name="Model">The "model" field.</param>
/// <param name="InputCount">Texts in "input" (embeddings) or documents (rerank).</param>
/// <param name="ReceivedAt">Arrival time.</param>
public sealed record FakeRequest(string Endpoint, string Method, string Authorization, string? ContentType, string Body, string? Model, int InputCount, DateTimeOffset ReceivedAt)
{
    /// <summary>The body parsed as JSON.</summary>
    public JsonObject Json => (JsonObject)JsonNode.Parse(Body)!;
}

/// <summary>What a queued fault does.</summary>
public enum FakeFaultKind
{
    /// <summary>Answer with <see cref="FakeFault.StatusCode"/> and an error body (and retry headers when set).</summary>
    Status,
    /// <summary>Wait <see cref="FakeFault.Delay"/> before answering normally.</summary>
    Slow,
    /// <summary>HTTP 200 with truncated JSON.</summary>
    MalformedJson,
    /// <summary>An HTML body with <see cref="FakeFault.StatusCode"/>, as a proxy might send.</summary>
    HtmlBody,
    /// <summary>One result fewer than asked for.</summary>
    WrongCount,
    /// <summary>The last embedding one dimension short.</summary>
    WrongDimension,
    /// <summary>The last item's index past the end.</summary>
    IndexOutOfRange,
    /// <summary>The last item repeats the first index.</summary>
    DuplicateIndex,
    /// <summary>Items in reverse order (still correctly indexed).</summary>
    ShuffledOrder,
    /// <summary>Unknown fields at every level.</summary>
    ExtraFields,
    /// <summary>A 401 whose message echoes the Authorization header, as a careless proxy might.</summary>
    EchoAuthorizationOn401,
}

/// <summary>A fault for the fake server's next request.</summary>
/// <param name="Kind">What it does.</param>
public sealed record FakeFault(FakeFaultKind Kind)
{
    /// <summary>Only requests to this endpoint ("embeddings", "rerank", "tei-rerank") take the fault; any when <see langword="null"/>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>HTTP status for <see cref="FakeFaultKind.Status"/>.</summary>
    public int StatusCode { get; init; } = 500;

    /// <summary>Value of the retry-after header.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>Value of the retry-after-ms header.</summary>
    public string? RetryAfterMs { get; init; }

    /// <summary>Delay for <see cref="FakeFaultKind.Slow"/>.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>error.message.</summary>
    public string? Message { get; init; }

    /// <summary>error.type.</summary>
    public string? Type { get; init; }

    /// <summary>error.param.</summary>
    public string? Param { get; init; }

    /// <summary>error.code.</summary>
    public string? Code { get; init; }

    /// <summary>HTTP 429 with optional retry headers.</summary>
    public static FakeFault RateLimited(string? retryAfter = null, string? retryAfterMs = null) => new(FakeFaultKind.Status)
    {
        StatusCode = 429,
        RetryAfter = retryAfter,
        RetryAfterMs = retryAfterMs,
        Message = "You have reached the rate limit specific to this model.",
        Type = "rate_limit_error",
        Code = "rate_limit_exceeded",
    };

    /// <summary>An error status with Together's error body.</summary>
    public static FakeFault Http(int status, string message = "Injected failure.", string? code = null, string? param = null, string type = "server_error") =>
        new(FakeFaultKind.Status) { StatusCode = status, Message = message, Code = code, Param = param, Type = type };

    /// <summary>A response that starts after <paramref name="delay"/>.</summary>
    public static FakeFault Slow(TimeSpan delay) => new(FakeFaultKind.Slow) { Delay = delay };
}
