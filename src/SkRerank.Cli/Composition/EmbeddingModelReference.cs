using SkRerank.Onnx.Embeddings;
using SkRerank.Onnx.HuggingFace;

namespace SkRerank.Cli.Composition;

/// <summary>
/// An <c>--embeddings</c> value naming a sentence-transformers model rather than a built-in one: <c>hf:OWNER/NAME[@REVISION]</c>
/// (downloaded once from the Hugging Face Hub into the cache folder) or a local folder in the same layout.
/// </summary>
internal sealed record EmbeddingModelReference(string Value, HuggingFaceRepositoryId? Repository, string? Folder)
{
    private const string HubPrefix = "hf:";
    private static readonly string[] BuiltInNames = ["arctic", "minilm", "together", "arctic-int8", "arctic-fp32", "minilm-int8", "minilm-fp32"];

    /// <summary>The reference <paramref name="value"/> makes, or <see langword="null"/> for a built-in name (or none at all).</summary>
    /// <exception cref="CliException">An <c>hf:</c> id that is not OWNER/NAME.</exception>
    public static EmbeddingModelReference? TryParse(string value)
    {
        if (value.StartsWith(HubPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var id = value[HubPrefix.Length..];
            try
            {
                return new EmbeddingModelReference(value, HuggingFaceRepositoryId.Parse(id), null);
            }
            catch (ArgumentException)
            {
                throw new CliException($"--embeddings {value}: '{id}' is not a Hugging Face model id; use hf:OWNER/NAME, e.g. hf:BAAI/bge-base-en-v1.5.");
            }
        }

        if (BuiltInNames.Contains(value, StringComparer.OrdinalIgnoreCase)) return null;
        var looksLikePath = value.IndexOfAny(['/', '\\']) >= 0 || value.StartsWith('.') || value.StartsWith('~');
        return looksLikePath || Directory.Exists(value) ? new EmbeddingModelReference(value, null, value) : null;
    }

    /// <summary>The Hub id of a <c>--rerank-model</c>, with or without the <c>hf:</c> prefix.</summary>
    public static string WithoutHubPrefix(string value) =>
        value.StartsWith(HubPrefix, StringComparison.OrdinalIgnoreCase) ? value[HubPrefix.Length..] : value;

    /// <summary>Checks what can be checked before any model loads.</summary>
    public void Validate()
    {
        if (Folder is not null && !Directory.Exists(Folder))
        {
            throw new CliException($"--embeddings {Value}: no such folder; give a folder with a sentence-transformers model (onnx/model.onnx, vocab.txt or tokenizer.json, its config files) or hf:OWNER/NAME.");
        }
    }

    /// <summary>Downloads (once) or reads the model's files and its sentence-transformers configuration.</summary>
    public async Task<OnnxEmbeddingModel> LoadModelAsync(string cacheDirectory, HuggingFaceHubOptions hubOptions, CancellationToken cancellationToken)
    {
        Validate();
        return Repository is not null
            ? await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository.ToString(), cacheDirectory, hubOptions, cancellationToken).ConfigureAwait(false)
            : OnnxEmbeddingModel.FromDirectory(Folder!);
    }
}
