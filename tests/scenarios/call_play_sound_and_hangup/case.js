VoxEngine.playSoundAndHangup('https://example.com/closed.mp3#duration=2');
