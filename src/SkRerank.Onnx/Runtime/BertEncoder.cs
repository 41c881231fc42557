using Microsoft.ML.Tokenizers;

namespace SkRerank.Onnx.Runtime;

/// <summary>
/// Turns text into BERT input ids: <c>[CLS] text [SEP]</c> or <c>[CLS] a [SEP] b [SEP]</c>, truncated to a token budget
/// the way Hugging Face does it (word pieces are cut, not whole words).
/// </summary>
internal sealed class BertEncoder(BertTokenizer tokenizer)
{
    // A word yields at most this many pieces (longer words become [UNK]); asking the tokenizer for that many extra
    // tokens guarantees its whole-word cut still leaves enough pieces to cut exactly at the budget.
    private readonly int _wordSlack = tokenizer.MaxInputCharsPerWord + 1;

    /// <summary>The underlying tokenizer.</summary>
    public BertTokenizer Tokenizer { get; } = tokenizer;

    /// <summary>Id used for padding.</summary>
    public int PadId => Tokenizer.PaddingTokenId;

    /// <summary>Word-piece ids of <paramref name="text"/> without special tokens, at most <paramref name="maxTokens"/>.</summary>
    public int[] Pieces(string text, int maxTokens)
    {
        if (maxTokens <= 0 || text.Length == 0) return [];
        var ids = Tokenizer.EncodeToIds(
            text,
            maxTokens + _wordSlack,
            addSpecialTokens: false,
            out _,
            out _);
        var count = Math.Min(ids.Count, maxTokens);
        var result = new int[count];
        for (var i = 0; i < count; i++) result[i] = ids[i];
        return result;
    }

    /// <summary>Encodes one text as <c>[CLS] text [SEP]</c>, at most <paramref name="maxTokens"/> tokens in all.</summary>
    public EncodedSequence Single(string text, int maxTokens)
    {
        var pieces = Pieces(text, maxTokens - 2);
        var ids = new int[pieces.Length + 2];
        ids[0] = Tokenizer.ClassificationTokenId;
        pieces.CopyTo(ids, 1);
        ids[^1] = Tokenizer.SeparatorTokenId;
        return new EncodedSequence(ids, ids.Length);
    }

    /// <summary>
    /// Encodes a pair as <c>[CLS] first [SEP] second [SEP]</c> from pieces already truncated by the caller; the second
    /// segment (with its closing <c>[SEP]</c>) gets token type 1.
    /// </summary>
    public EncodedSequence Pair(int[] first, int[] second)
    {
        var ids = new int[first.Length + second.Length + 3];
        ids[0] = Tokenizer.ClassificationTokenId;
        first.CopyTo(ids, 1);
        ids[first.Length + 1] = Tokenizer.SeparatorTokenId;
        second.CopyTo(ids, first.Length + 2);
        ids[^1] = Tokenizer.SeparatorTokenId;
        return new EncodedSequence(ids, first.Length + 2);
    }
}
