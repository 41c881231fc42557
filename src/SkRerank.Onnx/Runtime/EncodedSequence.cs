namespace SkRerank.Onnx.Runtime;

/// <summary>
/// One tokenized input with its special tokens. Positions from <paramref name="SecondSegmentStart"/> on get token type 1
/// (the document of a query-document pair); a single sequence sets it to its length.
/// </summary>
/// <param name="Ids">Token ids, special tokens included.</param>
/// <param name="SecondSegmentStart">Index of the first token of the second segment.</param>
internal readonly record struct EncodedSequence(int[] Ids, int SecondSegmentStart);
