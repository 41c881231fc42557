namespace SkRerank.Onnx;

/// <summary>Marks the SkRerank.Onnx assembly.</summary>
public static class OnnxAssemblyMarker;
