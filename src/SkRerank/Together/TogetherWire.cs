using System.Text.Json;
using System.Text.Json.Serialization;

namespace SkRerank.Together;

// The wire format of Together's /embeddings and /rerank (OpenAI- and Cohere-shaped). Response fields are nullable so
// that a missing field is reported as such instead of becoming a silent default; unknown fields (usage, object, ...)
// are ignored by System.Text.Json.

internal sealed class EmbeddingsRequest
{
    public required string Model { get; init; }
    public required IReadOnlyList<string> Input { get; init; }
}

internal sealed class EmbeddingsResponse
{
    public string? Object { get; init; }
    public string? Model { get; init; }
    public List<EmbeddingItem?>? Data { get; init; }
    public WireUsage? Usage { get; init; }
}

internal sealed class EmbeddingItem
{
    public string? Object { get; init; }
    public float[]? Embedding { get; init; }
    public int? Index { get; init; }
}

internal sealed class WireUsage
{
    public long? PromptTokens { get; init; }
    public long? TotalTokens { get; init; }
}

internal sealed class RerankRequest<TDocument>
{
    public required string Model { get; init; }
    public required string Query { get; init; }
    public required IReadOnlyList<TDocument> Documents { get; init; }
    public int? TopN { get; init; }
    public bool ReturnDocuments { get; init; }
    public IReadOnlyList<string>? RankFields { get; init; }
}

internal sealed class RerankResponse
{
    public string? Object { get; init; }
    public string? Id { get; init; }
    public string? Model { get; init; }
    public List<RerankItem?>? Results { get; init; }
}

internal sealed class RerankItem
{
    public int? Index { get; init; }
    public double? RelevanceScore { get; init; }
}

internal sealed class TeiRerankRequest
{
    public required string Query { get; init; }
    public required IReadOnlyList<string> Texts { get; init; }
    public bool ReturnText { get; init; }
}

internal sealed class TeiRerankItem
{
    public int? Index { get; init; }
    public double? Score { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(EmbeddingsRequest))]
[JsonSerializable(typeof(EmbeddingsResponse))]
[JsonSerializable(typeof(RerankRequest<string>))]
[JsonSerializable(typeof(RerankRequest<IReadOnlyDictionary<string, string>>))]
[JsonSerializable(typeof(RerankResponse))]
[JsonSerializable(typeof(TeiRerankRequest))]
[JsonSerializable(typeof(List<TeiRerankItem?>))]
internal sealed partial class TogetherJsonContext : JsonSerializerContext;

/// <summary>The service's error body, read leniently: Together and OpenAI send <c>{"error":{"message","type","param","code"}}</c>, others a string or a top-level message.</summary>
internal sealed record TogetherErrorBody(string? Message, string? Type, string? Param, string? Code)
{
    public static TogetherErrorBody? TryParse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object)
                {
                    return new TogetherErrorBody(Text(error, "message"), Text(error, "type"), Text(error, "param"), Text(error, "code"));
                }

                if (error.ValueKind == JsonValueKind.String)
                {
                    // TEI and some proxies: {"error": "...", "error_type": "..."}.
                    return new TogetherErrorBody(error.GetString(), Text(root, "error_type") ?? Text(root, "type"), null, Text(root, "code"));
                }
            }

            var message = Text(root, "message") ?? Text(root, "detail");
            return message is null ? null : new TogetherErrorBody(message, Text(root, "type"), null, Text(root, "code"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;
}
