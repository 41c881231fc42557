using System.Text.Json.Serialization;

namespace SkRerank.Together.Wire;

// The wire format of Together's /embeddings and /rerank (OpenAI- and Cohere-shaped). Response fields are nullable so
// that a missing field is reported as such instead of becoming a silent default; unknown fields (usage, object, ...)
// are ignored by System.Text.Json.
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
