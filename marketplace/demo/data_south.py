"""Demo households of the South-East and the Central Highlands: Đồng Nai, Tây Ninh, TP Hồ Chí Minh, Đắk Lắk,
Lâm Đồng and Gia Lai (2025 provinces)."""

from datetime import date as d

from marketplace.demo.seeds import HouseholdSeed as H
from marketplace.demo.seeds import ListingSeed as L
from marketplace.demo.seeds import ocop, organic, vietgap

SOUTH = [
    H(
        "Vườn điều Bù Đăng chị Điểu Thị Bích", "Điểu Thị Bích", "0382615049", 75, 25396, "Thôn 4, Đức Liễu",
        "Chị Bích là người S'tiêng, cùng chồng chăm 4 héc-ta điều trên đất đỏ bazan Bình Phước cũ. Hạt điều được "
        "rang củi trong chảo gang, bóc tay, giữ nguyên lớp vỏ lụa.",
        (
            L("Hạt điều rang muối nguyên lụa", "hat-dau", "hu", 175_000, 620, 250,
              "Hũ 500 g, hạt W320 nguyên vẹn, rang củi giòn, mặn nhẹ.", 1, 240),
            L("Hạt điều rang củi loại 1", "hat-dau", "kg", 330_000, 1_060, 120,
              "Hạt to W240, rang củi thơm đặc trưng, đóng túi zip.", 1, 240),
            L("Điều vỡ đôi làm bánh", "hat-dau", "goi", 120_000, 520, 100,
              "Gói 500 g điều sống vỡ đôi, dùng làm sữa hạt, làm bánh.", 1, 180),
            L("Hộp quà hạt điều Bình Phước", "ocop-qua-tang", "hop", 260_000, 900, 60,
              "Hộp thiếc 2 hũ: điều rang muối và điều tẩm mật ong.", 1, 240),
        ),
        (ocop(4, "OCOP-75-2024-0208", d(2028, 1, 31)), vietgap("VietGAP-TT-05-12-75-0119", d(2027, 3, 31))),
    ),
    H(
        "Vườn trái cây Long Khánh Bảy Thành", "Ngô Văn Thành", "0908427716", 75, 26080, "Ấp Ruộng Hời, Bảo Vinh",
        "Long Khánh nổi tiếng chôm chôm và sầu riêng. Vườn ông Bảy Thành 3 héc-ta trồng xen chôm chôm nhãn, "
        "sầu riêng Monthong và măng cụt, đón khách tham quan mùa hè.",
        (
            L("Chôm chôm nhãn Long Khánh", "trai-cay", "kg", 45_000, 1_080, 150,
              "Trái nhỏ, cơm tróc, giòn, ngọt như nhãn. Cắt nguyên chùm.", 2, 5),
            L("Chôm chôm Thái", "trai-cay", "kg", 28_000, 1_080, 250,
              "Trái đỏ, râu xanh, cơm dày, ngọt.", 2, 5),
            L("Sầu riêng Monthong Long Khánh", "trai-cay", "kg", 105_000, 1_050, 80,
              "Trái 3–5 kg, cơm vàng nhạt, dày, ngọt béo, hạt lép.", 3, 4),
            L("Măng cụt Long Khánh vụ 2027 (đặt trước)", "trai-cay", "kg", 60_000, 1_080, 300,
              "Đặt trước măng cụt chín tháng 5–6/2027, hái chín cây.", 2, 7, (d(2027, 5, 10), d(2027, 6, 30))),
        ),
        (vietgap("VietGAP-TT-02-08-75-0334", d(2027, 8, 15)),),
    ),
    H(
        "Cơ sở bánh tráng phơi sương Trảng Bàng Sáu Hương", "Nguyễn Thị Hương", "0918993402", 80, 25708,
        "Khu phố Lộc Du",
        "Lò bánh tráng ba đời của cô Sáu ở Trảng Bàng: bánh tráng tráng tay, phơi nắng rồi nướng than và phơi sương "
        "đêm cho dẻo. Cô còn làm muối tôm và trồng mãng cầu dưới chân núi Bà Đen.",
        (
            L("Bánh tráng phơi sương Trảng Bàng", "ocop-qua-tang", "goi", 45_000, 540, 300,
              "Gói 500 g (khoảng 40 lá), bánh dẻo, cuốn thịt luộc và rau rừng.", 1, 60),
            L("Muối tôm Tây Ninh", "gia-vi", "hu", 35_000, 280, 400,
              "Hũ 200 g, muối tôm nhuyễn rang với ớt, chấm trái cây.", 2, 180),
            L("Muối ớt xanh", "gia-vi", "hu", 40_000, 300, 150,
              "Hũ 200 g, muối trộn ớt xanh, lá chanh, chấm hải sản.", 1, 90),
            L("Mãng cầu dai Bà Đen", "trai-cay", "kg", 60_000, 1_100, 90,
              "Mãng cầu ta dai, múi trắng, ngọt thơm. Hái vừa mở mắt, 2 ngày là chín.", 2, 4),
        ),
        (ocop(4, "OCOP-80-2023-0045", d(2026, 9, 30)),),
    ),
    H(
        "Vườn chanh không hạt Bến Lức Tư Bé", "Lê Văn Bé", "0394158362", 80, 27991, "Ấp 3, Lương Hòa",
        "Chanh không hạt Bến Lức trồng trên đất phèn Long An cũ, vỏ mỏng, nhiều nước, thơm. Vườn anh Tư Bé có "
        "chứng nhận VietGAP và giao chanh cho các quán trà chanh ở Sài Gòn.",
        (
            L("Chanh không hạt Bến Lức", "trai-cay", "kg", 25_000, 1_060, 500,
              "Chanh xanh, vỏ mỏng, nhiều nước. Đặt tối thiểu 2 kg.", 2, 20),
            L("Thanh long ruột đỏ Châu Thành", "trai-cay", "kg", 32_000, 1_080, 250,
              "Trái 400–600 g, ruột đỏ tím, ngọt đậm.", 2, 10),
            L("Mứt chanh dẻo", "mat-ong-dac-san", "hu", 55_000, 320, 60,
              "Hũ 250 g, vỏ chanh sên đường, thơm, hơi đắng nhẹ.", 1, 120),
        ),
        (vietgap("VietGAP-TT-07-03-80-0281", d(2027, 4, 30)),),
    ),
    H(
        "Nông trại rau hữu cơ Củ Chi Xanh", "Phan Thị Mỹ Duyên", "0936024781", 79, 27553, "Ấp Bàu Tròn",
        "Chị Duyên bỏ việc văn phòng về Củ Chi làm rau hữu cơ từ năm 2017. Rau trồng trong nhà lưới, tưới nước "
        "giếng lọc, không thuốc trừ sâu hóa học, cắt buổi sáng giao trong ngày.",
        (
            L("Rau muống hữu cơ", "rau-cu", "bo", 15_000, 330, 120,
              "Bó 300 g, rau muống lá to, cọng giòn. Đặt tối thiểu 2 bó.", 2, 2),
            L("Cải ngọt hữu cơ", "rau-cu", "bo", 18_000, 330, 100,
              "Bó 300 g, cải ngọt non, nấu canh hay xào tỏi.", 2, 3),
            L("Xà lách thủy canh", "rau-cu", "kg", 60_000, 1_100, 50,
              "Xà lách lô lô xanh và tím, trồng thủy canh, rửa nhẹ là ăn được.", 1, 4),
            L("Hộp rau hữu cơ tuần (3 kg)", "rau-cu", "hop", 180_000, 3_300, 40,
              "Hộp 6–8 loại rau củ theo mùa cho gia đình 4 người trong 3–4 ngày.", 1, 3),
        ),
        (organic("TCVN11041-2025-0142", d(2028, 3, 31)), vietgap("VietGAP-TT-01-05-79-0008", d(2027, 11, 30))),
    ),
    H(
        "Mực khô Phước Hải Chín Hòa", "Đoàn Văn Hòa", "0984650213", 79, 26686, "Khu phố Hải Sơn",
        "Ghe của ông Chín Hòa đánh mực câu ban đêm ngoài khơi Phước Hải. Mực về tới bến được bà Chín làm sạch và "
        "phơi trên giàn tre, không ướp hóa chất.",
        (
            L("Mực khô câu loại 1", "thuy-hai-san-kho", "goi", 780_000, 530, 60,
              "Gói 500 g (8–10 con), mực câu dày thịt, nướng xé chấm tương ớt.", 1, 180),
            L("Cá đù một nắng", "thuy-hai-san-kho", "goi", 140_000, 530, 80,
              "Gói 500 g, cá đù xẻ bướm phơi một nắng, chiên giòn. Giữ ngăn đá.", 1, 60),
            L("Ruốc biển khô", "thuy-hai-san-kho", "goi", 90_000, 520, 0,
              "Gói 500 g ruốc phơi khô để xào, làm mắm. Đang hết hàng.", 1, 120, None, True),
        ),
        (),
        False,
    ),
    H(
        "Vườn cà phê Cư M'gar anh Y Thuyên", "Y Thuyên Niê", "0356702841", 66, 24280, "Buôn Ea Pốk",
        "Anh Y Thuyên là người Ê Đê, trồng cà phê Robusta dưới tán bơ và sầu riêng. Chỉ hái quả chín đỏ, phơi trên "
        "giàn, rang mộc không tẩm bơ, không trộn đậu.",
        (
            L("Cà phê Robusta rang mộc Buôn Ma Thuột", "ca-phe-tra", "goi", 145_000, 530, 300,
              "Gói 500 g xay sẵn pha phin, đậm, đắng, hậu ngọt, không tẩm hương liệu.", 1, 270),
            L("Cà phê Robusta hạt rang", "ca-phe-tra", "kg", 260_000, 1_060, 150,
              "Hạt rang vừa, chọn quả chín, dùng cho máy pha espresso.", 1, 270),
            L("Cà phê nhân xanh Robusta", "ca-phe-tra", "kg", 135_000, 1_040, 400,
              "Nhân sàng 18, phơi giàn, dành cho người tự rang. Đặt tối thiểu 2 kg.", 2, 365),
            L("Cà phê Robusta honey rang xay", "ca-phe-tra", "goi", 120_000, 280, 100,
              "Gói 250 g, sơ chế honey giữ lớp nhớt khi phơi, vị ngọt, ít đắng, thơm mùi mật.", 1, 270),
            L("Ca cao bột nguyên chất", "ca-phe-tra", "goi", 90_000, 270, 80,
              "Gói 250 g bột ca cao lên men, không đường, pha nóng hay làm bánh.", 1, 365),
        ),
        (vietgap("VietGAP-TT-10-06-66-0095", d(2027, 10, 31)), ocop(5, "OCOP-66-2024-0002", d(2028, 9, 30))),
    ),
    H(
        "Vườn sầu riêng và bơ Krông Pắc Tám Lộc", "Phan Văn Lộc", "0912786540", 66, 24490, "Thôn Tân Hòa",
        "Ông Tám Lộc từ Quảng Nam vào Đắk Lắk lập nghiệp năm 1990. Nay vườn 5 héc-ta có sầu riêng Ri6, bơ sáp 034 "
        "và mắc ca, tưới nhỏ giọt tiết kiệm nước.",
        (
            L("Sầu riêng Ri6 Krông Pắc", "trai-cay", "kg", 78_000, 1_050, 200,
              "Trái 2–4 kg, cơm vàng, ráo, ngọt béo. Giao nguyên trái, bao đổi nếu sượng.", 3, 4),
            L("Bơ sáp 034", "trai-cay", "kg", 45_000, 1_080, 300,
              "Bơ dài, vỏ xanh, cơm vàng dẻo, béo. Để 3–4 ngày là chín.", 2, 7),
            L("Bơ sáp Đắk Lắk vụ 2027 (đặt trước)", "trai-cay", "kg", 40_000, 1_080, 800,
              "Đặt trước bơ sáp chính vụ tháng 6–8/2027.", 3, 7, (d(2027, 6, 1), d(2027, 8, 31))),
            L("Hạt mắc ca nứt vỏ sấy", "hat-dau", "hu", 190_000, 620, 120,
              "Hũ 500 g, mắc ca sấy củi nứt vỏ, kèm dụng cụ tách vỏ.", 1, 240),
        ),
        (vietgap("VietGAP-TT-04-09-66-0150", d(2028, 2, 29)),),
    ),
    H(
        "Nông trại Lang Biang cô Đào", "Trần Thị Đào", "0937841265", 68, 24846, "Thôn Đăng Gia Rít",
        "Trên cao nguyên Lâm Viên mát quanh năm, trang trại nhà cô Đào trồng rau ôn đới, dâu tây và atiso. "
        "Rau cắt sáng sớm, đóng thùng xốp có đá khô, gửi chuyển phát nhanh.",
        (
            L("Dâu tây Đà Lạt hộp 500 g", "trai-cay", "hop", 120_000, 650, 80,
              "Dâu New Zealand trồng giá thể trong nhà kính, trái đỏ đều, ngọt thơm.", 1, 3),
            L("Atiso tươi Đà Lạt", "rau-cu", "kg", 95_000, 1_100, 60,
              "Bông atiso to 250–400 g, hầm giò heo hoặc nấu nước uống.", 1, 5),
            L("Trà atiso túi lọc", "ca-phe-tra", "hop", 65_000, 220, 200,
              "Hộp 50 túi lọc từ thân, rễ, lá atiso, thanh mát.", 1, 540),
            L("Cải kale xoăn", "rau-cu", "kg", 80_000, 1_100, 40,
              "Kale xanh lá xoăn, làm nước ép, salad. Trồng không thuốc trừ sâu.", 1, 5),
            L("Khoai lang mật Đà Lạt", "rau-cu", "kg", 35_000, 1_060, 200,
              "Khoai vỏ tím, ruột vàng cam, nướng chảy mật.", 2, 30),
        ),
        (vietgap("VietGAP-TT-03-11-68-0412", d(2027, 9, 30)),),
    ),
    H(
        "Vườn thanh long Hàm Thuận Bắc Năm Sang", "Võ Văn Sang", "0963207418", 68, 23089, "Thôn 2",
        "Đất cát nắng gió Bình Thuận cũ cho trái thanh long ngọt, vỏ đẹp. Vườn anh Năm Sang thắp đèn cho thanh long "
        "ra trái nghịch vụ, có hái quanh năm.",
        (
            L("Thanh long ruột trắng Bình Thuận", "trai-cay", "kg", 18_000, 1_080, 600,
              "Trái 400–550 g, tai xanh, vỏ hồng, ngọt mát. Đặt tối thiểu 3 kg.", 3, 10),
            L("Thanh long ruột đỏ", "trai-cay", "kg", 30_000, 1_080, 400,
              "Ruột đỏ tím, ngọt đậm hơn ruột trắng, làm sinh tố màu đẹp.", 2, 10),
            L("Thanh long sấy dẻo", "mat-ong-dac-san", "goi", 50_000, 230, 150,
              "Gói 200 g thanh long ruột đỏ sấy dẻo, không đường.", 1, 180),
        ),
        (vietgap("VietGAP-TT-08-01-68-0503", d(2027, 12, 31)),),
    ),
    H(
        "Đồi trà Ô long Bảo Lộc Hai Liên", "Lương Thị Liên", "0976534102", 68, 24823, "Tổ 12, đường Lê Thị Pha",
        "Đồi trà nhà chị Liên ở độ cao 900 m, sương mù buổi sáng giúp lá trà dày, thơm. Trà hái một tôm ba lá, "
        "vò viên và sao thủ công.",
        (
            L("Trà Ô long Bảo Lộc", "ca-phe-tra", "goi", 180_000, 270, 150,
              "Gói 250 g, viên trà xoăn chặt, nước vàng xanh, hương hoa.", 1, 540),
            L("Hồng trà Bảo Lộc", "ca-phe-tra", "goi", 90_000, 270, 120,
              "Gói 250 g trà đen lên men toàn phần, pha trà sữa hay uống nóng.", 1, 540),
            L("Trà xanh Bảo Lộc", "ca-phe-tra", "goi", 60_000, 270, 200,
              "Gói 250 g trà xanh sao, vị chát dịu, hậu ngọt.", 1, 365),
        ),
        (organic("TCVN11041-2023-0077", d(2026, 10, 31)), ocop(4, "OCOP-68-2024-0131", d(2028, 4, 30))),
    ),
    H(
        "Vườn tiêu Chư Sê anh Rơ Châm Hyul", "Rơ Châm Hyul", "0335849217", 52, 23941, "Làng Ia Tiêm",
        "Chư Sê là thủ phủ hồ tiêu của Tây Nguyên. Anh Hyul người Jrai trồng tiêu trên trụ sống, hái chùm chín, phơi "
        "trên bạt sạch, chọn hạt chắc bằng tay.",
        (
            L("Hồ tiêu đen Chư Sê", "gia-vi", "kg", 210_000, 1_050, 200,
              "Hạt tiêu đen dung trọng 550 g/l, cay nồng, thơm.", 1, 730),
            L("Tiêu đỏ chín cây", "gia-vi", "hu", 120_000, 330, 80,
              "Hũ 250 g, hạt tiêu chín đỏ hái riêng, phơi khô, cay dịu, thơm sâu.", 1, 730),
            L("Chanh dây tím", "trai-cay", "kg", 35_000, 1_080, 250,
              "Chanh dây vỏ tím, ruột vàng, chua thơm, pha nước hay làm sốt.", 2, 14),
        ),
        (vietgap("VietGAP-TT-16-04-52-0071", d(2027, 6, 30)),),
    ),
    H(
        "Lò bánh tráng nước dừa Tam Quan bà Tư", "Nguyễn Thị Tư", "0905318674", 52, 21637, "Khu phố Trung Hóa",
        "Tam Quan là xứ dừa của Bình Định cũ. Lò bánh của bà Tư tráng bánh bằng bột gạo, nước cốt dừa, mè đen, "
        "nướng than mỗi sáng.",
        (
            L("Bánh tráng nước dừa Tam Quan", "ocop-qua-tang", "goi", 40_000, 430, 300,
              "Gói 10 bánh, có mè, nướng lại là giòn, béo mùi dừa.", 2, 90),
            L("Dầu dừa ép lạnh", "gia-vi", "chai", 95_000, 720, 120,
              "Chai 500 ml, ép lạnh từ cơm dừa tươi, dùng nấu ăn và dưỡng da.", 1, 365),
            L("Cơm dừa sấy giòn", "mat-ong-dac-san", "goi", 45_000, 180, 150,
              "Gói 150 g, dừa sấy giòn ít đường, ăn vặt hay rắc lên sữa chua.", 1, 180),
        ),
        (ocop(3, "OCOP-52-2024-0186", d(2027, 2, 28)),),
    ),
]
