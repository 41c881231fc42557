using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace SkRerank.Onnx.Runtime;

/// <summary>Creates BERT WordPiece tokenizers from a <c>vocab.txt</c> or a Hugging Face <c>tokenizer.json</c>.</summary>
internal static class WordPieceVocabulary
{
    /// <summary>Creates a tokenizer from a <c>vocab.txt</c> stream (one token a line; CRLF is fine).</summary>
    /// <param name="vocab">The vocabulary; read to the end, not disposed.</param>
    /// <param name="lowerCase">Uncased models: lower-case and strip accents, as Hugging Face's BertNormalizer does by default.</param>
    public static BertTokenizer FromVocabTxt(Stream vocab, bool lowerCase) =>
        BertTokenizer.Create(vocab, new BertOptions
        {
            LowerCaseBeforeTokenization = lowerCase,
            RemoveNonSpacingMarks = lowerCase,
        });

    /// <summary>Creates a tokenizer from a vocabulary file: <c>tokenizer.json</c> by name, otherwise <c>vocab.txt</c> format.</summary>
    /// <param name="path">The file.</param>
    /// <param name="lowerCase">Overrides the casing; <see langword="null"/> reads it from <c>tokenizer.json</c> (uncased for <c>vocab.txt</c>).</param>
    public static BertTokenizer FromFile(string path, bool? lowerCase)
    {
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            var (vocabTxt, jsonLowerCase) = ReadTokenizerJson(File.ReadAllBytes(path), path);
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(vocabTxt));
            return FromVocabTxt(stream, lowerCase ?? jsonLowerCase);
        }

        using var file = File.OpenRead(path);
        return FromVocabTxt(file, lowerCase ?? true);
    }

    /// <summary>
    /// Turns the WordPiece model of a <c>tokenizer.json</c> into <c>vocab.txt</c> text (tokens ordered by id) and reads
    /// whether its normalizer lower-cases.
    /// </summary>
    internal static (string VocabTxt, bool LowerCase) ReadTokenizerJson(byte[] json, string source)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("model", out var model)
            || !model.TryGetProperty("type", out var type)
            || type.GetString() != "WordPiece"
            || !model.TryGetProperty("vocab", out var vocab)
            || vocab.ValueKind != JsonValueKind.Object)
        {
            throw new NotSupportedException(
                $"{source} does not hold a WordPiece vocabulary (model.type must be \"WordPiece\"); only BERT-family tokenizers are supported.");
        }

        var tokens = new SortedDictionary<int, string>();
        foreach (var entry in vocab.EnumerateObject()) tokens[entry.Value.GetInt32()] = entry.Name;
        var text = new StringBuilder();
        var next = 0;
        foreach (var (id, token) in tokens)
        {
            // vocab.txt gives ids by line number, so gaps need filler lines that no text can produce.
            for (; next < id; next++) text.Append("[skrerank-unused-").Append(next).Append("]\n");
            text.Append(token).Append('\n');
            next = id + 1;
        }

        var lowerCase = true;
        if (root.TryGetProperty("normalizer", out var normalizer)
            && normalizer.ValueKind == JsonValueKind.Object
            && normalizer.TryGetProperty("lowercase", out var lc)
            && lc.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            lowerCase = lc.GetBoolean();
        }

        return (text.ToString(), lowerCase);
    }
}
