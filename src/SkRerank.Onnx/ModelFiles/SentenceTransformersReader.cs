using System.Text.Json;
using SkRerank.Onnx.Embeddings;
using SkRerank.Onnx.Runtime;

namespace SkRerank.Onnx.ModelFiles;

/// <summary>
/// Reads a sentence-transformers model in its repository layout (as published on the Hugging Face Hub): <c>modules.json</c>,
/// the pooling config, <c>config_sentence_transformers.json</c> (prompts), <c>sentence_bert_config.json</c> (max length),
/// the tokenizer files and the ONNX export.
/// </summary>
/// <remarks>
/// Missing configuration falls back to what sentence-transformers itself does for a plain transformer: no
/// <c>modules.json</c> means Transformer → Pooling → Normalize (the vectors are compared by cosine anyway), no pooling
/// config means mean pooling, no prompts means none, no max length means the generator's. A missing ONNX graph or
/// tokenizer is an error.
/// </remarks>
internal static class SentenceTransformersReader
{
    private const string DefaultPoolingFolder = "1_Pooling";

    public static async Task<SentenceTransformersModel> ReadAsync(string modelName, ModelFileLocator locate, CancellationToken cancellationToken)
    {
        var modules = await ReadJsonAsync(modelName, locate, "modules.json", cancellationToken).ConfigureAwait(false);
        var (poolingFolder, normalize) = modules is { } m ? ReadModules(modelName, m) : (DefaultPoolingFolder, true);

        var pooling = EmbeddingPooling.Mean;
        if (poolingFolder is not null
            && await ReadJsonAsync(modelName, locate, $"{poolingFolder}/config.json", cancellationToken).ConfigureAwait(false) is { } poolingConfig)
        {
            pooling = ReadPooling(modelName, $"{poolingFolder}/config.json", poolingConfig);
        }

        var (queryPrefix, documentPrefix) = await ReadJsonAsync(modelName, locate, "config_sentence_transformers.json", cancellationToken).ConfigureAwait(false) is { } st
            ? ReadPrompts(st)
            : ("", "");

        var bertConfig = await ReadJsonAsync(modelName, locate, "sentence_bert_config.json", cancellationToken).ConfigureAwait(false);
        var tokenizerConfig = await ReadJsonAsync(modelName, locate, "tokenizer_config.json", cancellationToken).ConfigureAwait(false);
        var maxTokens = Int(bertConfig, "max_seq_length") ?? Int(tokenizerConfig, "model_max_length");

        var model = await FirstAsync(locate, cancellationToken, "onnx/model.onnx", "model.onnx").ConfigureAwait(false)
            ?? throw new ModelConfigurationException(
                $"{modelName} has no ONNX export (onnx/model.onnx or model.onnx); export one (e.g. optimum-cli export onnx --model {modelName} DIR) and use that folder.");
        var vocabulary = await FirstAsync(locate, cancellationToken, "vocab.txt", "tokenizer.json").ConfigureAwait(false)
            ?? throw new ModelConfigurationException($"{modelName} has neither vocab.txt nor tokenizer.json; a WordPiece tokenizer is needed.");

        // As in Hugging Face's BertTokenizerFast, tokenizer_config.json's do_lower_case overrides tokenizer.json's normalizer;
        // sentence_bert_config.json's do_lower_case lower-cases on top of the tokenizer.
        var lowerCase = Bool(tokenizerConfig, "do_lower_case")
            ?? (vocabulary.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? TokenizerJsonLowerCase(modelName, vocabulary) : true);
        if (Bool(bertConfig, "do_lower_case") == true) lowerCase = true;

        return new SentenceTransformersModel(model, vocabulary, pooling, normalize, queryPrefix, documentPrefix, lowerCase, maxTokens);
    }

    private static (string? PoolingFolder, bool Normalize) ReadModules(string modelName, JsonElement modules)
    {
        if (modules.ValueKind != JsonValueKind.Array) throw Malformed(modelName, "modules.json", "it is not a list of modules");
        string? pooling = null;
        var normalize = false;
        foreach (var module in modules.EnumerateArray())
        {
            var type = Str(module, "type") ?? "";
            var path = Str(module, "path") ?? "";
            var kind = type[(type.LastIndexOf('.') + 1)..];
            switch (kind)
            {
                case "Transformer":
                    break;
                case "Pooling":
                    pooling = path.Trim('/');
                    break;
                case "Normalize":
                    normalize = true;
                    break;
                default:
                    // A Dense or other layer after the transformer is not in the ONNX export of the transformer.
                    throw new ModelConfigurationException(
                        $"{modelName} has a {kind} module ({type}) in modules.json, which this library cannot run; only Transformer, Pooling and Normalize are supported.");
            }
        }

        return (pooling, normalize);
    }

    private static EmbeddingPooling ReadPooling(string modelName, string file, JsonElement config)
    {
        var modes = new List<EmbeddingPooling>();
        var unsupported = new List<string>();
        foreach (var property in config.EnumerateObject())
        {
            if (!property.Name.StartsWith("pooling_mode_", StringComparison.Ordinal) || property.Value.ValueKind != JsonValueKind.True) continue;
            switch (property.Name)
            {
                case "pooling_mode_cls_token": modes.Add(EmbeddingPooling.Cls); break;
                case "pooling_mode_mean_tokens": modes.Add(EmbeddingPooling.Mean); break;
                case "pooling_mode_max_tokens": modes.Add(EmbeddingPooling.Max); break;
                case "pooling_mode_mean_sqrt_len_tokens": modes.Add(EmbeddingPooling.MeanSqrtLength); break;
                case "pooling_mode_lasttoken": modes.Add(EmbeddingPooling.LastToken); break;
                default: unsupported.Add(property.Name); break;
            }
        }

        if (unsupported.Count > 0 || modes.Count > 1)
        {
            throw new ModelConfigurationException(
                $"{modelName} {file} asks for {string.Join(" + ", modes.Select(p => p.ToString()).Concat(unsupported))} pooling; one of cls, mean, max, mean_sqrt_len or lasttoken is supported.");
        }

        if (config.TryGetProperty("include_prompt", out var include) && include.ValueKind == JsonValueKind.False)
        {
            throw new ModelConfigurationException($"{modelName} {file} pools without the prompt's tokens (include_prompt: false), which is not supported.");
        }

        // A config with no mode set is what sentence-transformers treats as mean pooling.
        return modes.Count == 1 ? modes[0] : EmbeddingPooling.Mean;
    }

    private static (string Query, string Document) ReadPrompts(JsonElement config)
    {
        if (!config.TryGetProperty("prompts", out var prompts) || prompts.ValueKind != JsonValueKind.Object) return ("", "");
        var fallback = Str(config, "default_prompt_name") is { } name ? Str(prompts, name) : null;
        var query = Str(prompts, "query") ?? fallback ?? "";
        var document = Str(prompts, "document") ?? Str(prompts, "passage") ?? Str(prompts, "corpus") ?? fallback ?? "";
        return (query, document);
    }

    private static bool TokenizerJsonLowerCase(string modelName, string path)
    {
        try
        {
            return WordPieceVocabulary.ReadTokenizerJson(File.ReadAllBytes(path), path).LowerCase;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new ModelConfigurationException($"{modelName} tokenizer.json: {e.Message.TrimEnd('.')}.", e);
        }
    }

    private static async Task<string?> FirstAsync(ModelFileLocator locate, CancellationToken cancellationToken, params string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (await locate(candidate, cancellationToken).ConfigureAwait(false) is { } path) return path;
        }

        return null;
    }

    private static async Task<JsonElement?> ReadJsonAsync(string modelName, ModelFileLocator locate, string file, CancellationToken cancellationToken)
    {
        if (await locate(file, cancellationToken).ConfigureAwait(false) is not { } path) return null;
        try
        {
            using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Malformed(modelName, file, e.Message.TrimEnd('.'), e);
        }
    }

    private static ModelConfigurationException Malformed(string modelName, string file, string reason, Exception? inner = null) =>
        new($"{modelName} {file} cannot be read: {reason}.", inner);

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? Bool(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    // Tokenizers write a huge sentinel for "no limit"; only a plausible positive length counts.
    private static int? Int(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var n) && n is > 0 and <= 1_000_000
            ? (int)n
            : null;
}
