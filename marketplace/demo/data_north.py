"""Demo households of the North: the Red River Delta and the northern mountains (2025 provinces)."""

from datetime import date as d

from marketplace.demo.seeds import HouseholdSeed as H
from marketplace.demo.seeds import ListingSeed as L
from marketplace.demo.seeds import ocop, organic, vietgap

NORTH = [
    H(
        "Vườn vải thiều Lục Ngạn anh Thân Văn Hùng", "Thân Văn Hùng", "0912334871", 24, 7582, "Thôn Kép, Phượng Sơn",
        "Vườn vải 3 héc-ta trên đồi Lục Ngạn, Bắc Giang cũ, trồng theo VietGAP hướng Mỹ. Vải chín tháng 6, cắt buổi "
        "sáng, đóng thùng xốp có đá gel và đi ngay chuyến thư trong ngày.",
        (
            L("Vải thiều Lục Ngạn vụ 2027 (đặt trước)", "trai-cay", "kg", 55_000, 1_150, 1_000,
              "Quả to, vỏ đỏ, cùi dày, hạt nhỏ, ngọt lịm. Thu hoạch 1/6–15/7/2027, giao trong 48 giờ.", 3, 4,
              (d(2027, 6, 1), d(2027, 7, 15))),
            L("Thùng vải thiều 10 kg vụ 2027 (đặt trước)", "trai-cay", "hop", 480_000, 11_000, 150,
              "Thùng xốp 10 kg có đá gel, cắt sát cuống, giá đã gồm bao bì.", 1, 4,
              (d(2027, 6, 1), d(2027, 7, 15))),
            L("Vải thiều sấy khô", "mat-ong-dac-san", "kg", 160_000, 1_060, 200,
              "Vải sấy lò củi truyền thống, cùi dày, dẻo, ngọt. Nấu chè hay pha trà.", 1, 365),
            L("Mật ong hoa vải", "mat-ong-dac-san", "chai", 170_000, 780, 80,
              "Chai 500 ml, mật ong mùa hoa vải tháng 3, màu vàng sáng, thơm dịu.", 1, 730),
        ),
        (vietgap("VietGAP-TT-05-01-24-0178", d(2028, 3, 31)), ocop(4, "OCOP-24-2024-0044", d(2027, 12, 31))),
    ),
    H(
        "Vườn nhãn lồng Phố Hiến cụ Đào", "Đào Văn Tỉnh", "0904127836", 33, 11953, "Thôn Đằng Châu, Lam Sơn",
        "Nhãn lồng Hưng Yên từng là sản vật tiến vua. Vườn cụ Đào có cây nhãn tổ hơn 100 năm tuổi; con cháu cụ "
        "trồng tiếp và tự sấy long nhãn.",
        (
            L("Nhãn lồng Hưng Yên vụ 2027 (đặt trước)", "trai-cay", "kg", 70_000, 1_100, 600,
              "Cùi dày, giòn, ngọt sắc, hạt nhỏ. Thu hoạch tháng 7–8/2027.", 2, 5,
              (d(2027, 7, 10), d(2027, 8, 25))),
            L("Long nhãn sấy củi", "mat-ong-dac-san", "goi", 220_000, 530, 150,
              "Gói 500 g long nhãn bóc tay, sấy củi nhãn, dẻo, ngọt đậm.", 1, 365),
            L("Mật ong hoa nhãn", "mat-ong-dac-san", "chai", 160_000, 780, 120,
              "Chai 500 ml mật ong hoa nhãn Hưng Yên, màu hổ phách, thơm mùi nhãn.", 1, 730),
            L("Hộp quà long nhãn và chè sen", "ocop-qua-tang", "hop", 250_000, 900, 40,
              "Hộp 300 g long nhãn và 300 g hạt sen Hưng Yên để nấu chè long nhãn hạt sen.", 1, 365),
        ),
        (ocop(4, "OCOP-33-2023-0010", d(2027, 6, 30)),),
    ),
    H(
        "Vườn vải Thanh Hà ông Phạm Văn Đức", "Phạm Văn Đức", "0981427653", 31, 10813, "Thôn Thúy Lâm",
        "Vải Thanh Hà là giống vải thiều gốc của cả nước, cây vải tổ vẫn còn ở làng. Ông Đức giữ 250 gốc vải và "
        "mấy sào nếp cái hoa vàng.",
        (
            L("Vải thiều Thanh Hà vụ 2027 (đặt trước)", "trai-cay", "kg", 50_000, 1_150, 500,
              "Vải chín đỏ, cùi trắng, ráo nước. Thu hoạch tháng 6/2027.", 3, 4, (d(2027, 6, 5), d(2027, 7, 5))),
            L("Nếp cái hoa vàng", "gao-ngu-coc", "tui", 75_000, 2_030, 200,
              "Túi 2 kg, hạt tròn mẩy, đồ xôi dẻo thơm, làm bánh chưng ngày Tết.", 1, 300),
            L("Vải sấy Thanh Hà", "mat-ong-dac-san", "goi", 90_000, 530, 100,
              "Gói 500 g vải sấy nguyên quả, bóc ăn liền.", 1, 300),
        ),
        (vietgap("VietGAP-TT-07-08-31-0052", d(2027, 8, 31)),),
    ),
    H(
        "Vườn bưởi Diễn bác Tư Phúc Thọ", "Nguyễn Văn Tư", "0985613209", 1, 9715, "Thôn Thượng Hiệp",
        "Bác Tư đưa giống bưởi Diễn từ làng Phú Diễn về bãi bồi sông Hồng Phúc Thọ từ năm 2005. Bưởi treo nắng "
        "thêm vài tuần sau khi hái nên múi ráo và ngọt hơn.",
        (
            L("Bưởi Diễn", "trai-cay", "qua", 55_000, 1_300, 200,
              "Quả 1–1,2 kg, vỏ vàng mỏng, múi ráo, ngọt đậm, mùi thơm nhẹ.", 1, 30),
            L("Bưởi Diễn Tết 2027 (đặt trước)", "trai-cay", "qua", 65_000, 1_300, 400,
              "Quả đẹp chưng mâm ngũ quả, giao tháng Chạp âm lịch.", 2, 30, (d(2027, 11, 20), d(2027, 12, 31))),
            L("Hộp quà 3 bưởi Diễn", "ocop-qua-tang", "hop", 180_000, 4_100, 60,
              "Hộp giấy cứng in hoa văn, ba quả đều cỡ.", 1, 30),
        ),
        (vietgap("VietGAP-TT-01-12-01-0144", d(2027, 10, 31)),),
    ),
    H(
        "Hợp tác xã mật ong bạc hà Mèo Vạc", "Vàng Mí Chứ", "0988142673", 8, 769, "Thôn Mèo Vạc",
        "Hai mươi hộ người Mông nuôi ong nội trên cao nguyên đá Hà Giang cũ. Mỗi năm chỉ có một vụ mật bạc hà vào "
        "tháng 10–12 khi hoa bạc hà dại nở tím núi đá.",
        (
            L("Mật ong bạc hà Mèo Vạc 500 ml", "mat-ong-dac-san", "chai", 320_000, 780, 200,
              "Mật ong bạc hà nguyên chất, vàng sánh, vị ngọt mát, hậu the nhẹ. Có tem truy xuất.", 1, 730),
            L("Mật ong bạc hà 1 lít", "mat-ong-dac-san", "chai", 600_000, 1_550, 80,
              "Chai thủy tinh 1 lít, mật vụ mới, đã lọc sạch sáp.", 1, 730),
            L("Mật ong bạc hà hũ quà tặng", "ocop-qua-tang", "hu", 180_000, 450, 100,
              "Hũ sứ 250 g, hộp giấy dó in hoa văn thổ cẩm Mông.", 1, 730),
            L("Phấn hoa bạc hà", "mat-ong-dac-san", "hu", 150_000, 300, 60,
              "Hũ 200 g phấn hoa ong lấy từ hoa bạc hà và tam giác mạch.", 1, 365),
        ),
        (ocop(5, "OCOP-08-2023-0001", d(2028, 10, 31)),),
    ),
    H(
        "Đồi chè Shan tuyết Cao Bồ nhà Triệu Thị Mai", "Triệu Thị Mai", "0357204619", 8, 952, "Thôn Khuổi Luông",
        "Gia đình người Dao Đỏ chăm những cây chè Shan tuyết cổ thụ ở độ cao 1.200 m. Búp chè phủ lông tơ trắng "
        "như tuyết, sao bằng chảo gang trên bếp củi.",
        (
            L("Chè Shan tuyết cổ thụ", "ca-phe-tra", "goi", 250_000, 280, 120,
              "Gói 250 g, búp chè cổ thụ, nước vàng sánh, hậu ngọt sâu.", 1, 540),
            L("Hồng trà Shan tuyết", "ca-phe-tra", "goi", 200_000, 280, 60,
              "Gói 250 g trà lên men, vị mật ong, pha được nhiều nước.", 1, 540),
            L("Bánh trà Shan tuyết ép", "ocop-qua-tang", "hop", 450_000, 420, 30,
              "Bánh 357 g ép tay, để lâu càng thơm, hộp gỗ.", 1, 1_095),
        ),
        (organic("TCVN11041-2024-0089", d(2027, 5, 31)), ocop(4, "OCOP-08-2024-0032", d(2028, 2, 29))),
    ),
    H(
        "Vườn cam sành Hàm Yên bà Lan", "Hoàng Thị Lan", "0393826105", 8, 2374, "Thôn Cây Quýt",
        "Cam sành Hàm Yên có chỉ dẫn địa lý, trồng trên đồi đất feralit Tuyên Quang. Vườn bà Lan 2 héc-ta, quả "
        "chín vàng từ tháng 11 đến Tết.",
        (
            L("Cam sành Hàm Yên", "trai-cay", "kg", 25_000, 1_080, 500,
              "Vỏ sần, múi vàng cam, mọng nước, ngọt đậm. Đặt tối thiểu 3 kg.", 3, 20),
            L("Thùng cam sành 10 kg", "trai-cay", "hop", 230_000, 10_600, 60,
              "Thùng carton 10 kg cam loại 1, quả 200–300 g.", 1, 20),
            L("Cam sành Tết 2027 (đặt trước)", "trai-cay", "kg", 30_000, 1_080, 800,
              "Đặt trước cam chín đúng dịp Tết, hái tháng 12/2027.", 3, 20, (d(2027, 12, 1), d(2027, 12, 31))),
        ),
        (vietgap("VietGAP-TT-09-11-08-0105", d(2028, 1, 31)),),
    ),
    H(
        "Chè Tân Cương gia đình Hoàng Văn Thịnh", "Hoàng Văn Thịnh", "0973215864", 19, 5503, "Xóm Hồng Thái 2",
        "Ba đời nhà ông Thịnh làm chè ở Tân Cương, vùng chè ngon nhất Thái Nguyên. Chè hái một tôm hai lá, sao "
        "tay hai lần trên chảo gang để ra móc câu xoăn, nước xanh.",
        (
            L("Chè móc câu Tân Cương", "ca-phe-tra", "goi", 140_000, 270, 300,
              "Gói 250 g, cánh nhỏ xoăn, nước xanh vàng, hương cốm, vị chát dịu, hậu ngọt.", 1, 365),
            L("Đinh chè Tân Cương", "ca-phe-tra", "hop", 350_000, 230, 50,
              "Hộp 100 g, chỉ hái đinh búp non nhất, pha 80 °C.", 1, 365),
            L("Chè búp Thái Nguyên", "ca-phe-tra", "kg", 320_000, 1_060, 150,
              "Chè búp sao sấy, uống hằng ngày, giá theo ký.", 1, 365),
            L("Hộp quà chè Tân Cương", "ocop-qua-tang", "hop", 290_000, 700, 80,
              "Hai hộp thiếc chè móc câu 200 g, túi vải, thiệp chúc.", 1, 365),
            L("Chè xanh túi lọc", "ca-phe-tra", "hop", 45_000, 150, 200,
              "Hộp 25 túi lọc, tiện mang đi làm.", 1, 365),
        ),
        (vietgap("VietGAP-TT-03-04-19-0017", d(2027, 9, 30)), ocop(5, "OCOP-19-2023-0005", d(2028, 12, 31))),
    ),
    H(
        "Hộ bà Triệu Thị Mẩy, Ba Bể", "Triệu Thị Mẩy", "0344916205", 19, 1906, "Bản Pắc Ngòi",
        "Bản Pắc Ngòi bên hồ Ba Bể, Bắc Kạn cũ. Bà Mẩy trồng dong riềng làm miến, hái hồng không hạt và phơi mộc "
        "nhĩ rừng trên gác bếp.",
        (
            L("Miến dong Bắc Kạn", "gao-ngu-coc", "goi", 75_000, 530, 200,
              "Gói 500 g, sợi miến dai, trong, không chất tẩy trắng.", 1, 365),
            L("Hồng không hạt Ba Bể", "trai-cay", "kg", 55_000, 1_100, 0,
              "Hồng giòn, ngọt, không hạt. Hết vụ, sang tháng 9 có lại.", 2, 10, None, True),
            L("Mộc nhĩ rừng", "nam-mang", "goi", 95_000, 280, 100,
              "Gói 250 g mộc nhĩ dày, giòn, ngâm nở gấp 8 lần.", 1, 365),
            L("Gạo Bao Thai Chợ Đồn", "gao-ngu-coc", "tui", 110_000, 5_050, 80,
              "Túi 5 kg gạo Bao Thai ruộng bậc thang, cơm dẻo, đậm vị.", 1, 300),
        ),
        (ocop(3, "OCOP-19-2022-0140", d(2025, 12, 31)),),
    ),
    H(
        "Trang trại cam Cao Phong Bùi Văn Hải", "Bùi Văn Hải", "0397053184", 25, 5089, "Xóm Đồng Bài",
        "Anh Hải người Mường, trồng cam trên những triền đồi Cao Phong, Hòa Bình cũ. Vườn dùng tưới nhỏ giọt và "
        "bẫy bả sinh học, cam chín cây đến tháng 11 mới hái.",
        (
            L("Cam Cao Phong", "trai-cay", "kg", 38_000, 1_080, 400,
              "Cam lòng vàng, múi mọng, ngọt mát, vỏ mỏng. Quả 200–300 g.", 2, 20),
            L("Cam canh Cao Phong", "trai-cay", "kg", 35_000, 1_080, 200,
              "Cam canh vỏ mỏng, dễ bóc, ngọt đậm.", 2, 15),
            L("Thùng cam Cao Phong 8 kg", "trai-cay", "hop", 280_000, 8_500, 60,
              "Thùng carton có lỗ thoáng, cam loại 1 tuyển chọn.", 1, 20),
            L("Mứt cam Cao Phong", "mat-ong-dac-san", "hu", 60_000, 350, 80,
              "Hũ 250 g vỏ cam thái sợi sên mật ong.", 1, 180),
        ),
        (vietgap("VietGAP-TT-11-02-25-0098", d(2027, 11, 30)), ocop(4, "OCOP-25-2024-0061", d(2028, 3, 31))),
    ),
    H(
        "Vườn mận hậu Mộc Châu chị Lò Thị Hoa", "Lò Thị Hoa", "0868341027", 14, 3980, "Bản Áng, tiểu khu 4",
        "Cao nguyên Mộc Châu mùa xuân trắng hoa mận. Chị Hoa người Thái có 600 gốc mận hậu và nương chè ô long, "
        "mận hái chín vừa để quả giòn, chua ngọt.",
        (
            L("Mận hậu Mộc Châu vụ 2027 (đặt trước)", "trai-cay", "kg", 40_000, 1_080, 800,
              "Quả đỏ tím, giòn, chua ngọt. Thu hoạch tháng 5–6/2027.", 3, 7, (d(2027, 5, 10), d(2027, 6, 30))),
            L("Mận sấy dẻo Mộc Châu", "mat-ong-dac-san", "goi", 70_000, 330, 150,
              "Gói 300 g mận hậu sấy dẻo ít đường.", 1, 180),
            L("Chè Ô long Mộc Châu", "ca-phe-tra", "goi", 150_000, 270, 100,
              "Gói 250 g ô long viên, hương hoa lan, nước vàng.", 1, 540),
            L("Hạt mắc khén", "gia-vi", "goi", 90_000, 130, 120,
              "Gói 100 g mắc khén rừng, rang giã chấm thịt nướng kiểu Tây Bắc.", 1, 540),
        ),
        (vietgap("VietGAP-TT-06-05-14-0077", d(2027, 4, 30)),),
    ),
    H(
        "Vườn xoài tròn Yên Châu anh Cầm Văn Sơn", "Cầm Văn Sơn", "0327641859", 14, 4075, "Bản Tạ Làng",
        "Xoài tròn Yên Châu là giống xoài bản địa, quả nhỏ nhưng thơm nồng và ngọt đậm. Anh Sơn giữ 300 cây xoài "
        "tròn trên sườn đồi và trồng thêm cà phê Arabica.",
        (
            L("Xoài tròn Yên Châu vụ 2027 (đặt trước)", "trai-cay", "kg", 45_000, 1_080, 500,
              "Quả 150–250 g, thịt vàng, thơm nồng, ăn chín hay xanh đều ngon. Thu hoạch tháng 5–6/2027.", 3, 6,
              (d(2027, 5, 1), d(2027, 6, 20))),
            L("Cà phê Arabica Sơn La rang xay", "ca-phe-tra", "goi", 95_000, 280, 120,
              "Gói 250 g, rang vừa, chua thanh, hậu ngọt.", 1, 270),
            L("Măng đắng khô", "nam-mang", "goi", 110_000, 530, 70,
              "Gói 500 g măng đắng rừng phơi khô, nấu canh xương.", 1, 365),
        ),
        (),
    ),
    H(
        "Vườn quế Văn Yên ông Hà Văn Kiên", "Hà Văn Kiên", "0389045216", 15, 4375, "Thôn Khe Mạ",
        "Văn Yên, Yên Bái cũ là vùng quế lớn nhất miền Bắc. Ông Kiên người Dao trồng quế hữu cơ, bóc vỏ vào mùa "
        "mưa khi cây nhiều nhựa, phơi khô tự nhiên.",
        (
            L("Quế vỏ Văn Yên", "gia-vi", "kg", 70_000, 1_060, 300,
              "Vỏ quế dày 3–5 mm, thơm cay, làm gia vị, ngâm rượu, xông nhà.", 1, 730),
            L("Quế chi thanh", "gia-vi", "goi", 45_000, 530, 150,
              "Gói 500 g quế cuộn thẳng, dùng pha chế và trang trí.", 1, 730),
            L("Tinh dầu quế Văn Yên", "gia-vi", "chai", 75_000, 120, 120,
              "Chai 50 ml, chưng cất hơi nước, nguyên chất.", 1, 730),
        ),
        (organic("TCVN11041-2023-0203", d(2028, 6, 30)), ocop(3, "OCOP-15-2024-0156", d(2027, 8, 31))),
    ),
    H(
        "Hộ chị Lù Thị Sen, Bắc Hà", "Lù Thị Sen", "0338172640", 15, 2839, "Thôn Na Hối",
        "Chị Sen người Tày ở cao nguyên trắng Bắc Hà, trồng mận tam hoa, nấm hương và lúa Séng Cù trên ruộng bậc "
        "thang, xay gạo bằng cối nước.",
        (
            L("Mận tam hoa Bắc Hà vụ 2027 (đặt trước)", "trai-cay", "kg", 50_000, 1_080, 400,
              "Quả phủ phấn trắng, ruột đỏ, giòn ngọt. Thu hoạch tháng 6–7/2027.", 3, 7,
              (d(2027, 6, 1), d(2027, 7, 15))),
            L("Nấm hương Bắc Hà", "nam-mang", "goi", 170_000, 280, 60,
              "Gói 250 g nấm hương khô, mũ nấm nứt hoa, thơm đậm.", 1, 365),
            L("Gạo Séng Cù", "gao-ngu-coc", "tui", 120_000, 5_050, 100,
              "Túi 5 kg, hạt dài, cơm dẻo, thơm, trồng trên ruộng bậc thang.", 1, 300),
        ),
        (),
        False,
    ),
    H(
        "Hạt dẻ Trùng Khánh nhà Nông Văn Lượng", "Nông Văn Lượng", "0388624019", 4, 1477, "Xóm Pác Rằng",
        "Hạt dẻ Trùng Khánh mọc trên núi đá vôi Cao Bằng, hạt nhỏ nhưng bùi và thơm hơn hẳn dẻ nhập khẩu. Gia đình "
        "anh Lượng người Tày còn nấu thạch đen và làm miến dong.",
        (
            L("Hạt dẻ Trùng Khánh", "hat-dau", "kg", 180_000, 1_060, 200,
              "Hạt dẻ tươi loại 1, rang cát hay luộc đều bùi. Thu hoạch tháng 9–10.", 1, 45),
            L("Thạch đen khô Cao Bằng", "mat-ong-dac-san", "goi", 80_000, 530, 120,
              "Gói 500 g cây thạch đen phơi khô để nấu thạch giải nhiệt.", 1, 365),
            L("Miến dong Nguyên Bình", "gao-ngu-coc", "goi", 70_000, 530, 150,
              "Gói 500 g miến dong làm thủ công, sợi dai, nấu không nát.", 1, 365),
        ),
        (ocop(4, "OCOP-04-2024-0018", d(2028, 4, 30)),),
    ),
    H(
        "Vườn na Chi Lăng chị Vy Thị Hằng", "Vy Thị Hằng", "0353407286", 20, 6463, "Thôn Đồng Bành",
        "Na Chi Lăng trồng trên núi đá vôi xứ Lạng, quả to, mắt mở, ngọt sắc. Chị Hằng còn thu hồi khô từ rừng hồi "
        "của gia đình.",
        (
            L("Na dai Chi Lăng vụ 2027 (đặt trước)", "trai-cay", "kg", 65_000, 1_100, 600,
              "Quả 300–500 g, múi dai, ít hạt, ngọt sắc. Thu hoạch tháng 7–9/2027.", 2, 4,
              (d(2027, 7, 15), d(2027, 9, 15))),
            L("Hoa hồi khô Lạng Sơn", "gia-vi", "kg", 190_000, 1_060, 150,
              "Hồi đỏ 8 cánh, phơi khô tự nhiên, thơm nồng, không nấm mốc.", 1, 730),
            L("Tinh dầu hồi", "gia-vi", "chai", 95_000, 120, 80,
              "Chai 50 ml tinh dầu hoa hồi nguyên chất.", 1, 730),
        ),
        (vietgap("VietGAP-TT-08-07-20-0039", d(2027, 7, 31)),),
    ),
    H(
        "Hộ ông Lò Văn Inh, cánh đồng Mường Thanh", "Lò Văn Inh", "0372058413", 11, 3349, "Bản Phiêng Lơi",
        "Cánh đồng Mường Thanh là vựa lúa lớn nhất Tây Bắc. Ông Inh người Thái trồng lúa tám thơm và nếp nương, "
        "xay xát ngay tại bản.",
        (
            L("Gạo tám thơm Điện Biên", "gao-ngu-coc", "tui", 150_000, 5_050, 300,
              "Túi 5 kg, hạt nhỏ dài, cơm dẻo, thơm, để nguội không cứng.", 1, 300),
            L("Gạo nếp nương Điện Biên", "gao-ngu-coc", "tui", 90_000, 2_030, 150,
              "Túi 2 kg nếp nương hạt to, đồ xôi thơm, dẻo.", 1, 300),
            L("Cà phê Mường Ảng rang xay", "ca-phe-tra", "goi", 100_000, 280, 80,
              "Gói 250 g Arabica Mường Ảng, chua nhẹ, thơm.", 1, 270),
        ),
        (ocop(4, "OCOP-11-2025-0009", d(2028, 9, 30)),),
    ),
    H(
        "Sá sùng Vân Đồn nhà chị Ngô Thị Thu", "Ngô Thị Thu", "0904728153", 22, 6994, "Thôn Bái Tử Long, Quan Lạn",
        "Sá sùng đào trên bãi cát đảo Quan Lạn lúc triều rút, lộn ruột, rửa sạch rồi nướng than hay phơi khô. Chị "
        "Thu còn làm mực khô và ruốc từ thuyền nhà.",
        (
            L("Sá sùng khô Quan Lạn", "thuy-hai-san-kho", "goi", 480_000, 130, 50,
              "Gói 100 g sá sùng khô loại 1, nướng giòn nhâm rượu hay ninh nước dùng phở.", 1, 365),
            L("Mực khô Vân Đồn", "thuy-hai-san-kho", "goi", 750_000, 530, 60,
              "Gói 500 g mực ống phơi khô, thịt dày, ngọt.", 1, 180),
            L("Ruốc tôm Quảng Ninh", "thuy-hai-san-kho", "hu", 120_000, 330, 80,
              "Hũ 200 g ruốc tôm bông sợi, cho trẻ ăn cơm.", 1, 90),
        ),
        (ocop(4, "OCOP-22-2024-0027", d(2027, 10, 31)),),
    ),
    H(
        "Hợp tác xã gạo tám Hải Hậu", "Vũ Văn Quý", "0916347520", 37, 14215, "Xóm 12, Hải Toàn",
        "Gạo tám xoan Hải Hậu trồng trên đất phù sa ven biển Nam Định cũ, chỉ một vụ mỗi năm. Hợp tác xã có 60 hộ "
        "thành viên, xay gạo theo đơn để luôn mới.",
        (
            L("Gạo tám xoan Hải Hậu túi 5 kg", "gao-ngu-coc", "tui", 175_000, 5_050, 250,
              "Hạt nhỏ, thon, hơi đục, cơm dẻo, thơm, ráo.", 1, 300),
            L("Gạo nếp cái Hải Hậu", "gao-ngu-coc", "tui", 80_000, 2_030, 150,
              "Túi 2 kg nếp cái hạt tròn, gói bánh chưng, đồ xôi.", 1, 300),
            L("Gạo lứt tám xoan", "gao-ngu-coc", "tui", 55_000, 1_030, 100,
              "Túi 1 kg gạo lứt, nấu cơm hay rang pha trà gạo lứt.", 1, 240),
        ),
        (vietgap("VietGAP-TT-02-06-37-0025", d(2027, 4, 30)), ocop(3, "OCOP-37-2024-0190", d(2027, 6, 30))),
    ),
    H(
        "Nương chè Tân Uyên chị Lò Thị Xuân", "Lò Thị Xuân", "0367519820", 12, 3598, "Bản Nà Bó",
        "Chè Tân Uyên trồng ở độ cao 1.000 m dưới chân dãy Hoàng Liên, sương mù quanh năm. Chị Xuân người Thái "
        "hái chè bằng tay, làm ô long và chè xanh tại xưởng nhỏ của bản.",
        (
            L("Chè ô long Tân Uyên", "ca-phe-tra", "goi", 160_000, 270, 100,
              "Gói 250 g ô long viên, nước vàng sáng, hương hoa, hậu ngọt.", 1, 540),
            L("Chè xanh Tân Uyên", "ca-phe-tra", "goi", 80_000, 270, 150,
              "Gói 250 g chè xanh sao khô, vị chát nhẹ, thơm cốm.", 1, 365),
            L("Sa nhân tím khô", "gia-vi", "goi", 120_000, 130, 60,
              "Gói 100 g quả sa nhân rừng phơi khô, làm gia vị và thuốc nam.", 1, 540),
        ),
        (vietgap("VietGAP-TT-14-08-12-0021", d(2028, 5, 31)),),
    ),
]
