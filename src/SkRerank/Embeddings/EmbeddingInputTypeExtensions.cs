using Microsoft.Extensions.AI;

namespace SkRerank.Embeddings;

/// <summary>Carries <see cref="EmbeddingInputType"/> through <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>.</summary>
public static class EmbeddingInputTypeExtensions
{
    /// <summary>The key under which the input type travels in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>.</summary>
    public const string PropertyName = "skrerank.input_type";

    /// <summary>Returns a copy of <paramref name="options"/> (or new options) that marks the inputs as <paramref name="inputType"/>.</summary>
    public static EmbeddingGenerationOptions WithInputType(this EmbeddingGenerationOptions? options, EmbeddingInputType inputType)
    {
        var copy = options?.Clone() ?? new EmbeddingGenerationOptions();
        copy.AdditionalProperties ??= [];
        copy.AdditionalProperties[PropertyName] = inputType;
        return copy;
    }

    /// <summary>Reads the input type from <paramref name="options"/>; <see cref="EmbeddingInputType.Document"/> when absent.</summary>
    public static EmbeddingInputType GetInputType(this EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PropertyName, out var value) == true
            ? value switch
            {
                EmbeddingInputType t => t,
                string s when Enum.TryParse<EmbeddingInputType>(s, ignoreCase: true, out var parsed) => parsed,
                _ => EmbeddingInputType.Document,
            }
            : EmbeddingInputType.Document;
}
